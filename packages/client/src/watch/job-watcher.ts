/**
 * Follows one job until it ends: reads its status, picks the cheapest transport the server offers
 * (event stream, long-poll, polling), falls back when one is missing or breaks, and tells every
 * subscribed wait what it saw. Concurrent waits on the same job share one watcher.
 */
import type { Capabilities } from '../protocol/capabilities.js';
import { bodyHints, readHints, type ServerHints } from '../protocol/hints.js';
import { holdHeaders, withWakeOnResult } from '../protocol/long-poll.js';
import { statusOrThrow } from '../protocol/problem.js';
import type { ActiveTransportName, TransportMode } from '../options/types.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import {
  afterFailure,
  readJson,
  type ReaderContext,
  type ReaderDeps,
  type RequestCounters,
} from '../http/retrying-request.js';
import { isPastEta, nextPollDelay, planNextPoll } from '../policy/schedule.js';
import { parseStatus, type JobStatus } from '../protocol/status.js';
import { isVisibleChange } from './visible-change.js';
import { followEventStream } from '../http/event-stream.js';
import { linkSignals, settledOrAborted } from '../common/signals.js';
import { eventsUrl, statusUrl } from '../protocol/paths.js';

/** The transport a wait is using at a given moment. */
export type ActiveTransport = ActiveTransportName;

export interface WatcherSettings {
  readonly transport: TransportMode;
  readonly polling: ResolvedPollingOptions;
  readonly retry: ResolvedRetryOptions;
  readonly requestTimeoutMs: number;
  /** What to ask for in `Prefer: wait=N`, before the server's cap and the deadline. */
  readonly longPollWaitS: number;
}

/** What the client has learnt about its server from earlier answers; shared by all its waits. */
export interface ServerKnowledge {
  capabilities: Capabilities | undefined;
  /** The first answer being awaited from a server not met yet, so concurrent waits ask only once. */
  discovery?: Promise<void> | undefined;
}

export interface WatcherListener {
  /** Whether any wait wants every stage (an onStatus callback, watch()); else only the ending matters. */
  followsStages(): boolean;
  onStatus(status: JobStatus, transport: ActiveTransport): void;
  onRequest(transport: ActiveTransport): void;
  onRetry: ReaderContext['onRetry'];
}

/** The shortest hold worth asking for; closer to the deadline, the watcher polls instead. */
const LONG_POLL_MIN_WAIT_S = 1;
/** A held request answered unchanged faster than this is treated as not held at all. */
export const BUSY_LOOP_GUARD_MS = 100;
/** Connection attempts an event stream gets before falling back, while it has never delivered. */
const STREAM_FIRST_TRIES = 2;

export class JobWatcher {
  readonly counters: RequestCounters = { requests: 0, retries: 0 };
  transport: ActiveTransport = 'poll';
  status: JobStatus | undefined;
  private hints: ServerHints | undefined;
  private readonly unavailable = new Set<'sse' | 'long-poll'>();
  private lastEventId: string | undefined;
  private previousDelayMs: number | undefined;
  private streamFailures = 0;
  private streamDelivered = false;
  /** The deadline whose squeezed last poll has been made. */
  private squeezedFor: number | undefined;
  private interrupt: AbortController | undefined;
  /** Cuts the held request in flight when it waits for the ending only (`wake=result`). */
  private resultHold: AbortController | undefined;
  private readonly startedAt: number;
  private readonly url: string;
  /** When the sleep in progress (or just cut short by a re-plan) was to end; cleared by each read. */
  private plannedAt: number | undefined;

  constructor(
    private readonly deps: ReaderDeps & { readonly baseUrl: string; readonly server: ServerKnowledge },
    readonly jobId: string | undefined,
    private readonly settings: WatcherSettings,
    private readonly listener: WatcherListener,
    /** Milliseconds until the earliest deadline among the subscribed waits. */
    private readonly remainingMs: () => number,
  ) {
    this.startedAt = deps.clock.now();
    this.url = statusUrl(deps.baseUrl, jobId);
  }

  /** Runs until the job is terminal (resolves with it) or a failure cannot be retried (rejects). */
  async run(signal: AbortSignal): Promise<JobStatus> {
    const server = this.deps.server;
    // Many waits starting at once on a client that has not met its server yet: one of them asks, the
    // others wait for that answer, then each can open its event stream directly.
    if (server.capabilities === undefined && server.discovery !== undefined) {
      await settledOrAborted(server.discovery, signal);
    }
    let status: JobStatus | undefined;
    if (this.canStreamAtOnce()) {
      // The stream's first event is the current state: one request for the whole wait.
      this.transport = 'sse';
      status = await this.follow(signal, undefined);
    } else if (this.canHoldAtOnce()) {
      // Only the ending matters and the server holds until it: a job that ends within the hold costs
      // one request in all. Without a version to compare, `wake=result` is what keeps the hold.
      this.transport = 'long-poll';
      status = await this.hold(signal, undefined);
    }
    if (status === undefined) {
      const first = this.read(signal, {});
      if (server.capabilities === undefined && server.discovery === undefined) {
        const discovery = first.then(
          () => undefined,
          () => undefined,
        );
        server.discovery = discovery;
        void discovery.then(() => {
          if (server.discovery === discovery) server.discovery = undefined;
        });
      }
      status = await first;
    }
    while (status.result === 'pending') {
      const transport = this.chooseTransport();
      if (transport === 'sse') status = await this.follow(signal, status);
      else if (transport === 'long-poll') status = await this.longPoll(signal, status);
      else status = await this.poll(signal, status);
    }
    return status;
  }

  private context(signal: AbortSignal): ReaderContext {
    return {
      jobId: this.jobId ?? this.status?.jobId,
      retry: this.settings.retry,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      signal,
      startedAt: this.startedAt,
      remainingMs: this.remainingMs,
      counters: this.counters,
      onRequest: () => {
        this.listener.onRequest(this.transport);
      },
      ...(this.listener.onRetry === undefined ? {} : { onRetry: this.listener.onRetry }),
    };
  }

  private async read(
    signal: AbortSignal,
    headers: Record<string, string>,
    heldMs?: number,
    url: string = this.url,
  ): Promise<JobStatus> {
    this.plannedAt = undefined;
    const answer = await readJson(this.deps, this.context(signal), {
      url,
      headers,
      ...(heldMs === undefined ? {} : { heldMs }),
    });
    const status = statusOrThrow(answer.json, {
      jobId: this.jobId,
      url: this.url,
      elapsedMs: this.deps.clock.now() - this.startedAt,
      attempts: this.counters.requests,
    });
    this.hints = readHints(answer.headers, status, this.deps.clock.now(), this.url);
    this.deps.server.capabilities = this.hints.capabilities;
    return this.accept(status);
  }

  /** Records a status and tells subscribers when something they can see changed. */
  accept(status: JobStatus): JobStatus {
    const before = this.status;
    // A replayed or reordered answer older than what we know must not move the job backwards.
    if (before?.version !== undefined && status.version !== undefined && status.version < before.version) {
      return before;
    }
    this.status = status;
    if (status.version !== undefined) this.lastEventId = String(status.version);
    if (isVisibleChange(before, status)) {
      this.listener.onStatus(status, this.transport);
    }
    return status;
  }

  private chooseTransport(): ActiveTransport {
    const mode = this.settings.transport;
    const caps = this.hints?.capabilities ?? this.deps.server.capabilities;
    const streamUrl = this.streamUrl();
    if (!this.unavailable.has('sse') && streamUrl !== undefined) {
      if (mode === 'sse' || (mode === 'auto' && caps?.events === true)) return (this.transport = 'sse');
    }
    if (!this.unavailable.has('long-poll')) {
      if (mode === 'long-poll' || mode === 'sse' || (mode === 'auto' && caps?.longPoll === true)) {
        return (this.transport = 'long-poll');
      }
    }
    return (this.transport = 'poll');
  }

  private canStreamAtOnce(): boolean {
    const mode = this.settings.transport;
    return (
      this.jobId !== undefined &&
      (mode === 'auto' || mode === 'sse') &&
      this.deps.server.capabilities?.events === true
    );
  }

  /** A held first request is worth it when only the ending matters and the server is known to hold. */
  private canHoldAtOnce(): boolean {
    const mode = this.settings.transport;
    return (
      (mode === 'auto' || mode === 'long-poll') &&
      this.deps.server.capabilities?.longPoll === true &&
      !this.listener.followsStages() &&
      this.holdSeconds() >= LONG_POLL_MIN_WAIT_S
    );
  }

  private streamUrl(): string | undefined {
    const advertised = this.hints?.eventsUrl;
    if (advertised !== undefined) return advertised;
    // The conventional path, when the caller forced 'sse' or the server said it streams (an earlier
    // answer), even though this job's own answer has not been seen yet.
    const id = this.jobId ?? this.status?.jobId;
    const streams = this.settings.transport === 'sse' || this.deps.server.capabilities?.events === true;
    if (!streams || id === undefined) return undefined;
    return eventsUrl(this.deps.baseUrl, id);
  }

  private fallBack(from: 'sse' | 'long-poll', why: string): void {
    this.unavailable.add(from);
    const fields = { jobId: this.jobId, transport: from, reason: why };
    // Against a plain server, `auto` falling back is expected, so it stays quiet.
    if (this.settings.transport === 'auto')
      this.deps.logger.debug(fields, `${from} unavailable, falling back`);
    else this.deps.logger.warn(fields, `${from} unavailable, falling back`);
  }

  private async poll(signal: AbortSignal, status: JobStatus): Promise<JobStatus> {
    const plan = planNextPoll(
      {
        attempt: this.counters.requests,
        elapsedMs: this.deps.clock.now() - this.startedAt,
        remainingMs: this.remainingMs(),
        status,
        hints: this.hints ?? bodyHints(status),
        previousDelayMs: this.previousDelayMs,
      },
      this.settings.polling,
      this.deps.random,
    );
    const earliestDeadline = this.deps.clock.now() + this.remainingMs();
    if (plan.kind === 'deadline' || this.squeezedFor === earliestDeadline) {
      // Nothing fits before the earliest deadline (or its last poll is made): let it pass; later
      // deadlines, if any, poll on. A wait joining or leaving re-plans at once.
      await this.pause(Math.max(1, this.remainingMs()), signal);
      return status;
    }
    this.previousDelayMs = isPastEta(status, this.settings.polling) ? plan.delayMs : undefined;
    if (!(await this.pause(this.notLaterThanPlanned(plan.delayMs), signal))) return status;
    // Marked once made: a re-plan during the sleep must still make it.
    if (plan.last) this.squeezedFor = earliestDeadline;
    return this.read(signal, {});
  }

  /** Called when a wait joins or leaves: the earliest deadline may have moved, so plan again. */
  replan(): void {
    this.interrupt?.abort();
    // A wait that follows the stages joined while a hold waits for the ending: it needs the state now.
    if (this.listener.followsStages()) this.resultHold?.abort();
  }

  /**
   * A re-plan (a wait joining or leaving) may bring the next request forward, never push it back:
   * otherwise waits joining every few seconds would keep postponing it. Returns the delay to sleep.
   */
  private notLaterThanPlanned(delayMs: number): number {
    const now = this.deps.clock.now();
    const planned = this.plannedAt;
    const kept = planned !== undefined && planned > now ? Math.min(delayMs, planned - now) : delayMs;
    this.plannedAt = now + kept;
    return kept;
  }

  /** Sleeps on the clock; false when cut short by `replan()`. Rejects when `signal` aborts. */
  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    const interrupt = new AbortController();
    this.interrupt = interrupt;
    const linked = linkSignals(signal, interrupt.signal);
    try {
      await this.deps.clock.sleep(ms, linked.signal);
      return true;
    } catch (error) {
      if (signal.aborted) throw error;
      return false;
    } finally {
      linked.dispose();
      if (this.interrupt === interrupt) this.interrupt = undefined;
    }
  }

  private async longPoll(signal: AbortSignal, status: JobStatus): Promise<JobStatus> {
    const approachMs = this.etaApproach(status);
    // Sleep through the part of the job the estimate says cannot hold the end, then hold: each held
    // request then covers the likely end instead of timing out, or waking on early stage changes.
    if (approachMs > 0 && !(await this.pause(this.notLaterThanPlanned(approachMs), signal))) return status;
    if (this.holdSeconds() < LONG_POLL_MIN_WAIT_S) return this.poll(signal, status); // too close to the deadline
    return this.hold(signal, status);
  }

  /** `Prefer: wait` to ask for: the option, capped by the server and by the earliest deadline. */
  private holdSeconds(): number {
    const maxWaitS = this.hints?.capabilities.maxWaitS ?? this.deps.server.capabilities?.maxWaitS ?? Infinity;
    const budgetS = Math.floor((this.remainingMs() - this.settings.requestTimeoutMs) / 1000);
    return Math.min(this.settings.longPollWaitS, maxWaitS, budgetS);
  }

  /** One held request; `status` is what the wait knows (undefined before its first answer). */
  private async hold(signal: AbortSignal, status: JobStatus | undefined): Promise<JobStatus> {
    const waitS = this.holdSeconds();
    const headers = holdHeaders(waitS, status?.version);
    const before = this.deps.clock.now();
    // Nobody follows the stages: ask to be answered only when the job ends (a server without
    // `wake` answers at each change, which is only a little more costly).
    const wakeOnResult = !this.listener.followsStages();
    const url = wakeOnResult ? withWakeOnResult(this.url) : this.url;
    const cut = new AbortController();
    if (wakeOnResult) this.resultHold = cut;
    const linked = linkSignals(signal, cut.signal);
    let next: JobStatus;
    try {
      next = await this.read(linked.signal, headers, waitS * 1000, url);
    } catch (error) {
      if (signal.aborted || !cut.signal.aborted) throw error;
      // Cut by replan(): a fresh read shows the joining wait the state now, and brings a fresh ETA (the
      // one in `status` may be a hold old, and sleeping on it again could overshoot the end).
      return await this.read(signal, {});
    } finally {
      linked.dispose();
      if (this.resultHold === cut) this.resultHold = undefined;
    }
    if (this.hints?.preferenceAppliedWaitS === undefined) {
      this.fallBack('long-poll', 'the server did not apply Prefer: wait');
    } else if (
      status !== undefined &&
      next.version === status.version &&
      this.deps.clock.now() - before < BUSY_LOOP_GUARD_MS
    ) {
      // A server that claims to hold but answers at once must not turn this into a busy loop.
      await this.deps.clock.sleep(Math.max(BUSY_LOOP_GUARD_MS, this.settings.polling.minDelayMs), signal);
    }
    return next;
  }

  /**
   * How long to sleep before the next held request: the ETA-driven delay of the polling schedule, so
   * holds start just before the estimated end; 0 without an estimate or once past it. Leaves room for
   * one held request before the earliest deadline.
   */
  private etaApproach(status: JobStatus): number {
    const polling = this.settings.polling;
    if (!polling.followEta || status.etaMs === undefined || isPastEta(status, polling)) return 0;
    const delay = nextPollDelay(
      {
        attempt: this.counters.requests,
        elapsedMs: this.deps.clock.now() - this.startedAt,
        remainingMs: this.remainingMs(),
        status,
        hints: this.hints ?? bodyHints(status),
        previousDelayMs: undefined,
      },
      { ...polling, schedule: undefined },
      this.deps.random,
    );
    const room = this.remainingMs() - this.settings.requestTimeoutMs - LONG_POLL_MIN_WAIT_S * 1000;
    return Math.max(0, Math.min(delay, room));
  }

  private async follow<S extends JobStatus | undefined>(
    signal: AbortSignal,
    status: S,
  ): Promise<JobStatus | S> {
    const url = this.streamUrl();
    if (url === undefined) {
      this.fallBack('sse', 'no event stream URL');
      return status;
    }
    const context = this.context(signal);
    const result = await followEventStream(this.deps, context, {
      url,
      headers: this.deps.headers,
      lastEventId: this.lastEventId,
      onEvent: (json) => {
        const parsed = parseStatus(json);
        if (!parsed.ok) return { stop: false, problem: parsed.problem };
        return { stop: this.accept(parsed.status).result !== 'pending' };
      },
    });
    if (result.kind === 'terminal') return this.status ?? status;
    if (result.kind === 'stale') {
      // The server says the job ended at or before our Last-Event-ID: read it. Still pending means
      // the stream and the status disagree; streaming again would loop, so fall back.
      const next = await this.read(signal, {});
      if (next.result === 'pending') this.fallBack('sse', 'the stream answered 204 for a pending job');
      return next;
    }
    if (result.kind === 'unavailable') {
      this.fallBack('sse', result.reason);
      return this.status ?? status;
    }
    // A broken stream is a transient failure: back off under the retry policy, then reconnect with
    // Last-Event-ID. A stream that delivered events before breaking starts the count afresh. When the
    // policy says stop, fall back to another transport rather than fail the wait.
    if (result.events > 0) this.streamDelivered = true;
    this.streamFailures = result.events > 0 ? 1 : this.streamFailures + 1;
    if (!this.streamDelivered && this.streamFailures >= STREAM_FIRST_TRIES) {
      // Never delivered anything (a proxy or CORS may block streams): do not spend the retries on it.
      this.fallBack('sse', `the stream never delivered an event (${result.error.code})`);
      return this.status ?? status;
    }
    try {
      await afterFailure(this.deps, context, result.failure, result.error, this.streamFailures);
    } catch (error) {
      if (signal.aborted) throw error;
      this.fallBack('sse', `the stream kept breaking (${result.error.code})`);
    }
    return this.status ?? status;
  }
}
