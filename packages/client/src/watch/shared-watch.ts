/**
 * Shares one watch among every concurrent wait on the same job, while each wait keeps its own deadline,
 * signal, callbacks and statistics. The watch runs while at least one wait needs it; this object is
 * the listener its steps report to.
 */
import type { Clock } from '../common/clock.js';
import { JobFailedError, TranslationStatusError, WaitTimeoutError } from '../errors/index.js';
import type { RetryEvent } from '../http/retrying-request.js';
import type { ActiveTransportName as ActiveTransport, PollInfo, StatusInfo } from '../options/types.js';
import { isCompleted, type CompletedStatus, type JobStatus } from '../protocol/status.js';
import { callSafely } from '../common/safely.js';
import type { WatchDeps, WatchListener, WatchSettings } from './context.js';
import { Deadlines, type Deadline } from './deadlines.js';
import { createPauses, type Pauses } from './pauses.js';
import { runWatch } from './run-watch.js';
import { createWatchState, type WatchState } from './state.js';

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

interface Subscriber extends Deadline {
  readonly callbacks: WaitCallbacks;
  readonly startedAt: number;
  readonly requestsAtStart: number;
  readonly retriesAtStart: number;
  settle(outcome: { status: JobStatus } | { error: unknown }): void;
}

/**
 * One reason for every watch that stops: an exception made per watch would capture a stack trace,
 * which keeps every frame's objects (this watch, its stream) alive as long as the reason is.
 */
const NO_WAIT_LEFT = new DOMException('no wait needs this job any more', 'AbortError');

export class SharedWatch implements WatchListener {
  readonly state: WatchState;
  private readonly subscribers = new Set<Subscriber>();
  private readonly stop = new AbortController();
  private readonly pauses: Pauses;
  private readonly clock: Clock;
  private readonly deadlines: Deadlines;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: WatchDeps,
    jobId: string | undefined,
    private readonly settings: WatchSettings,
    /** Called once the watch has no subscriber left or has finished, so the client forgets it. */
    private readonly onIdle: () => void,
  ) {
    this.clock = deps.clock;
    this.deadlines = deps.deadlines ?? new Deadlines(deps.clock);
    this.pauses = createPauses(deps.clock);
    this.state = createWatchState(jobId, deps.protocol.statusUrl(deps.baseUrl, jobId), deps.clock.now());
  }

  /** The earliest deadline among the waits, so the watch can squeeze in a last poll before it. */
  remainingMs(): number {
    let earliest = Infinity;
    for (const subscriber of this.subscribers) earliest = Math.min(earliest, subscriber.at);
    return earliest - this.clock.now();
  }

  get active(): boolean {
    return !this.stop.signal.aborted;
  }

  /** Whether any wait follows the stages (has onStatus), so held requests must wake on each change. */
  followsStages(): boolean {
    for (const s of this.subscribers) if (s.callbacks.onStatus !== undefined) return true;
    return false;
  }

  /** Broadcast from the watch. A throwing callback is logged and never breaks the wait. */
  onStatus(status: JobStatus, transport: ActiveTransport): void {
    for (const s of this.subscribers) {
      this.safely('onStatus', () => s.callbacks.onStatus?.(status, this.statusEvent(s, transport)));
    }
  }

  onRequest(transport: ActiveTransport): void {
    for (const s of this.subscribers) {
      this.safely('onPoll', () =>
        s.callbacks.onPoll?.({ ...this.statusEvent(s, transport), requests: this.requestsOf(s) }),
      );
    }
  }

  readonly onRetry = (event: RetryEvent): void => {
    for (const s of this.subscribers) this.safely('onRetry', () => s.callbacks.onRetry?.(event));
  };

  /**
   * One wait: its deadline is an entry in the client's deadline heap and its signal one listener, so a
   * pending wait keeps no timer or abort controller of its own.
   */
  wait(timeoutMs: number, signal: AbortSignal | undefined, callbacks: WaitCallbacks): Promise<CompletedWait> {
    // An abort rejects with the caller's own reason, whatever its type, as fetch does.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const startedAt = this.clock.now();
    return new Promise<CompletedWait>((resolve, reject) => {
      const onAbort = (): void => {
        subscriber.settle({ error: signal?.reason });
      };
      const subscriber: Subscriber = {
        callbacks,
        at: startedAt + timeoutMs,
        index: -1,
        startedAt,
        requestsAtStart: this.state.counters.requests,
        retriesAtStart: this.state.counters.retries,
        fire: () => {
          const stats = this.statsOf(subscriber);
          subscriber.settle({
            error: new WaitTimeoutError({
              jobId: this.jobIdOf(this.state.status),
              timeoutMs,
              lastStatus: this.state.status,
              elapsedMs: stats.elapsedMs,
              attempts: stats.requests,
            }),
          });
        },
        settle: (outcome) => {
          if (!this.subscribers.delete(subscriber)) return;
          this.pauses.replan(this.followsStages()); // the earliest deadline may have moved later
          this.deadlines.remove(subscriber);
          signal?.removeEventListener('abort', onAbort);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          if ('error' in outcome) reject(outcome.error);
          else {
            const { status } = outcome;
            const stats = this.statsOf(subscriber);
            if (isCompleted(status)) resolve({ status, stats });
            else
              reject(
                new JobFailedError({
                  jobId: this.jobIdOf(status),
                  status,
                  elapsedMs: stats.elapsedMs,
                  attempts: stats.requests,
                }),
              );
          }
          if (this.subscribers.size === 0) this.shutDown();
        },
      };
      this.subscribers.add(subscriber);
      if (Number.isFinite(subscriber.at)) this.deadlines.add(subscriber);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.subscribers.size > 1) this.pauses.replan(this.followsStages()); // its deadline may be the earliest now
      // A late joiner learns the current state at once.
      if (this.state.status !== undefined && !this.state.seeded) {
        const current = this.state.status;
        this.safely('onStatus', () =>
          callbacks.onStatus?.(current, this.statusEvent(subscriber, this.state.transport)),
        );
      }
      this.running ??= this.runWatcher();
    });
  }

  private async runWatcher(): Promise<void> {
    try {
      const status = await runWatch(
        { deps: this.deps, settings: this.settings, listener: this, pauses: this.pauses },
        this.state,
        this.stop.signal,
      );
      for (const s of [...this.subscribers]) s.settle({ status });
    } catch (error) {
      if (this.stop.signal.aborted) return; // every wait left; nothing to report
      for (const s of [...this.subscribers]) s.settle({ error: this.errorFor(s, error) });
    } finally {
      this.shutDown();
    }
  }

  private shutDown(): void {
    if (this.stop.signal.aborted) return;
    this.stop.abort(NO_WAIT_LEFT);
    this.onIdle();
  }

  private statsOf(s: Subscriber): WaitStats {
    return {
      elapsedMs: this.clock.now() - s.startedAt,
      requests: this.requestsOf(s),
      retries: this.state.counters.retries - s.retriesAtStart,
      transport: this.state.transport,
    };
  }

  /** The watch's failure with this wait's own elapsed time and request count. */
  private errorFor(s: Subscriber, error: unknown): unknown {
    if (!(error instanceof TranslationStatusError)) return error;
    const stats = this.statsOf(s);
    return error.forWait({ elapsedMs: stats.elapsedMs, attempts: stats.requests });
  }

  private requestsOf(s: Subscriber): number {
    return this.state.counters.requests - s.requestsAtStart;
  }

  private statusEvent(s: Subscriber, transport: ActiveTransport): StatusEvent {
    return { jobId: this.jobIdOf(this.state.status), elapsedMs: this.clock.now() - s.startedAt, transport };
  }

  private jobIdOf(status: JobStatus | undefined): string | undefined {
    return this.state.jobId ?? status?.jobId;
  }

  private safely(name: string, call: () => void): void {
    callSafely(this.deps.logger, name, this.state.jobId, call);
  }
}
