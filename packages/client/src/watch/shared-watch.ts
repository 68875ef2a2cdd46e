/**
 * Shares one watch among every concurrent wait on the same job, while each wait keeps its own deadline,
 * signal, callbacks and statistics. The watch runs while at least one wait needs it; this object is
 * the listener its steps report to.
 */
import { JobFailedError, TranslationStatusError, WaitTimeoutError } from '../errors/index.js';
import type { RetryEvent } from '../http/retrying-request.js';
import type { ActiveTransportName as ActiveTransport, PollInfo, StatusInfo } from '../options/types.js';
import { isCompleted, type CompletedStatus, type JobStatus } from '../protocol/status.js';
import { callSafely } from '../common/safely.js';
import type { WatchDeps, WatchSettings } from './context.js';
import type { Deadline } from './deadlines.js';
import { Pauses } from './pauses.js';
import { WatchLoop, type LoopListener, type WatchOutcome } from './run-watch.js';
import { createWatchState, jobIdOf, type WatchState } from './state.js';

/** What a finished wait reports besides the final status. */
export interface WaitStats {
  /** Milliseconds from the call to the answer. */
  readonly elapsedMs: number;
  /** HTTP requests made while this wait was active (a held long-poll or a stream counts once). */
  readonly requests: number;
  /** How many of those requests were retries after a transient failure. */
  readonly retries: number;
  /** The transport in use when the wait ended. */
  readonly transport: ActiveTransport;
}

export interface CompletedWait {
  readonly status: CompletedStatus;
  readonly stats: WaitStats;
}

export type StatusEvent = StatusInfo;
export type PollEvent = PollInfo;

export interface WaitCallbacks {
  onStatus?: ((status: JobStatus, event: StatusEvent) => void) | undefined;
  onPoll?: ((event: PollEvent) => void) | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * One wait on a watch: its entry in the client's deadline heap and the listener of its signal. A class,
 * not closures: ten thousand pending waits are ten thousand of these.
 */
class Wait implements Deadline {
  index = -1;
  readonly at: number;
  readonly startedAt: number;
  readonly requestsAtStart: number;
  readonly retriesAtStart: number;
  // The callbacks themselves, not the object they came in: that object is the caller's.
  readonly onStatus: WaitCallbacks['onStatus'];
  readonly onPoll: WaitCallbacks['onPoll'];
  readonly onRetry: WaitCallbacks['onRetry'];

  constructor(
    readonly watch: SharedWatch,
    timeoutMs: number,
    readonly signal: AbortSignal | undefined,
    callbacks: WaitCallbacks,
    readonly resolve: (done: CompletedWait) => void,
    readonly reject: (error: unknown) => void,
    now: number,
  ) {
    this.onStatus = callbacks.onStatus;
    this.onPoll = callbacks.onPoll;
    this.onRetry = callbacks.onRetry;
    this.startedAt = now;
    this.at = now + timeoutMs;
    this.requestsAtStart = watch.state.counters.requests;
    this.retriesAtStart = watch.state.counters.retries;
  }

  /** Its deadline passed. */
  fire(): void {
    this.watch.settle(this, { error: this.watch.timedOut(this) });
  }

  /** Its signal aborted (it is the signal's listener): it rejects with the caller's own reason. */
  handleEvent(): void {
    this.watch.settle(this, { error: this.signal?.reason });
  }
}

export class SharedWatch implements LoopListener {
  readonly state: WatchState;
  readonly #subscribers = new Set<Wait>();
  readonly #pauses: Pauses;
  readonly #loop: WatchLoop;
  #started = false;
  readonly #deps: WatchDeps;
  readonly #watches: Map<string, SharedWatch> | undefined;

  /**
   * `watches`: the client's watches by job id, which waits share while it runs; it leaves them once it
   * has no subscriber left or has finished.
   */
  constructor(
    deps: WatchDeps,
    jobId: string | undefined,
    settings: WatchSettings,
    watches?: Map<string, SharedWatch>,
  ) {
    this.#deps = deps;
    this.#watches = watches;
    this.#pauses = new Pauses(deps.clock);
    this.state = createWatchState(jobId, deps.protocol.statusUrl(deps.baseUrl, jobId), deps.clock.now());
    this.#loop = new WatchLoop(deps, settings, this, this.#pauses, this.state);
  }

  /** The earliest deadline among the waits, so the watch can squeeze in a last poll before it. */
  remainingMs(): number {
    let earliest = Infinity;
    for (const subscriber of this.#subscribers) earliest = Math.min(earliest, subscriber.at);
    return earliest - this.#deps.clock.now();
  }

  get active(): boolean {
    return !this.#loop.stopped;
  }

  /** Whether any wait follows the stages (has onStatus), so held requests must wake on each change. */
  followsStages(): boolean {
    for (const s of this.#subscribers) if (s.onStatus !== undefined) return true;
    return false;
  }

  /** Broadcast from the watch. A throwing callback is logged and never breaks the wait. */
  onStatus(status: JobStatus, transport: ActiveTransport): void {
    for (const s of this.#subscribers) {
      this.#safely('onStatus', () => s.onStatus?.(status, this.#statusEvent(s, transport)));
    }
  }

  onRequest(transport: ActiveTransport): void {
    for (const s of this.#subscribers) {
      this.#safely('onPoll', () =>
        s.onPoll?.({ ...this.#statusEvent(s, transport), requests: this.#requestsOf(s) }),
      );
    }
  }

  onRetry(event: RetryEvent): void {
    for (const s of this.#subscribers) this.#safely('onRetry', () => s.onRetry?.(event));
  }

  /**
   * One wait: its deadline is an entry in the client's deadline heap and it is its signal's listener, so
   * a pending wait keeps no timer, closure or abort controller of its own.
   */
  wait(timeoutMs: number, signal: AbortSignal | undefined, callbacks: WaitCallbacks): Promise<CompletedWait> {
    // An abort rejects with the caller's own reason, whatever its type, as fetch does.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise<CompletedWait>((resolve, reject) => {
      const wait = new Wait(this, timeoutMs, signal, callbacks, resolve, reject, this.#deps.clock.now());
      this.#subscribers.add(wait);
      if (Number.isFinite(wait.at)) this.#deps.deadlines.add(wait);
      signal?.addEventListener('abort', wait, { once: true });
      if (this.#subscribers.size > 1) this.#pauses.replan(this.followsStages()); // its deadline may be the earliest now
      // A late joiner learns the current state at once.
      if (this.state.status !== undefined && !this.state.seeded) {
        const current = this.state.status;
        this.#safely('onStatus', () =>
          callbacks.onStatus?.(current, this.#statusEvent(wait, this.state.transport)),
        );
      }
      if (!this.#started) {
        this.#started = true;
        this.#loop.start();
      }
    });
  }

  /** Ends `wait` (once) with `outcome`: the job's final status, or why it ended without one. */
  settle(wait: Wait, outcome: WatchOutcome): void {
    if (!this.#subscribers.delete(wait)) return;
    this.#pauses.replan(this.followsStages()); // the earliest deadline may have moved later
    this.#deps.deadlines.remove(wait);
    wait.signal?.removeEventListener('abort', wait);
    if ('error' in outcome) wait.reject(outcome.error);
    else {
      const { status } = outcome;
      if (isCompleted(status)) wait.resolve({ status, stats: this.#statsOf(wait) });
      else wait.reject(new JobFailedError({ jobId: jobIdOf(this.state), status, ...this.#spent(wait) }));
    }
    if (this.#subscribers.size === 0) this.#shutDown();
  }

  /** The error of a wait whose deadline passed. */
  timedOut(wait: Wait): WaitTimeoutError {
    return new WaitTimeoutError({
      jobId: jobIdOf(this.state),
      timeoutMs: wait.at - wait.startedAt,
      lastStatus: this.state.status,
      ...this.#spent(wait),
    });
  }

  /** How the watch's loop ended (never told once every wait left): so end its waits. */
  done(outcome: WatchOutcome): void {
    for (const s of [...this.#subscribers])
      this.settle(s, 'error' in outcome ? { error: this.#errorFor(s, outcome.error) } : outcome);
    this.#shutDown();
  }

  #shutDown(): void {
    if (this.#loop.stopped) return;
    this.#loop.stop();
    const key = this.state.jobId ?? '';
    if (this.#watches?.get(key) === this) this.#watches.delete(key);
  }

  #statsOf(s: Wait): WaitStats {
    return {
      elapsedMs: this.#deps.clock.now() - s.startedAt,
      requests: this.#requestsOf(s),
      retries: this.state.counters.retries - s.retriesAtStart,
      transport: this.state.transport,
    };
  }

  /** The watch's failure with this wait's own elapsed time and request count. */
  #errorFor(s: Wait, error: unknown): unknown {
    return error instanceof TranslationStatusError ? error.forWait(this.#spent(s)) : error;
  }

  /** What a wait's errors say it took: its own time and requests. */
  #spent(s: Wait): { elapsedMs: number; attempts: number } {
    return { elapsedMs: this.#deps.clock.now() - s.startedAt, attempts: this.#requestsOf(s) };
  }

  #requestsOf(s: Wait): number {
    return this.state.counters.requests - s.requestsAtStart;
  }

  #statusEvent(s: Wait, transport: ActiveTransport): StatusEvent {
    return {
      jobId: jobIdOf(this.state),
      elapsedMs: this.#deps.clock.now() - s.startedAt,
      transport,
    };
  }

  #safely(name: string, call: () => void): void {
    callSafely(this.#deps.logger, name, this.state.jobId, call);
  }
}
