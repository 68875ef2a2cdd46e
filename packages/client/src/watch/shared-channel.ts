/**
 * One multiplexed stream (`GET /events?ids=`) and the jobs on it: connects with the ids and the
 * versions known as `Last-Event-ID`, feeds each job's statuses into its own watch's state through
 * `accept`, reconnects after a break or for joiners, and closes with no job left (see `stream-hub.ts`).
 */
import { linkSignals } from '../common/signals.js';
import type { ReaderContext } from '../http/retrying-request.js';
import { followEventStream, type StreamResult } from '../http/event-stream.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import { multiEventsUrl, readMissing, resumePoint } from '../protocol/multi-events.js';
import { parseStatus } from '../protocol/status.js';
import { afterBrokenStream } from './broken-stream.js';
import { accept, TRANSPORT_RETRY_MS, type StepContext, type WatchDeps } from './context.js';
import { streamSilenceMs } from './silence.js';
import type { WatchState } from './state.js';

/** How a job's time on a shared stream ended, for its step to act on. */
export type MemberEnd =
  /** Its job ended; the terminal status is in its state. */
  | { readonly kind: 'ended' }
  /** 204: every job had ended at the versions known: read the status plainly. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'fallback'; readonly reason: string; readonly forMs: number }
  | { readonly kind: 'missing'; readonly code: string; readonly message: string | undefined }
  /** Its signal aborted (every wait on it left, or a re-plan). */
  | { readonly kind: 'left' };

export interface Member {
  readonly jobId: string;
  readonly ctx: StepContext;
  readonly state: WatchState;
  readonly wakeOnResult: boolean;
  channel: SharedChannel | undefined;
  end(outcome: MemberEnd): void;
}

/** What a channel needs of the hub that made it. */
export interface ChannelOwner {
  readonly deps: WatchDeps;
  /** Shared streams are given up for every wait for `forMs`. */
  refuse(forMs: number): void;
  /** The channel ended. */
  closed(channel: SharedChannel): void;
}

const REOPEN = new DOMException('the stream reopens with new jobs', 'AbortError');
/** Shared, as `REOPEN`: a reason made per stream would keep its frames alive through its stack trace. */
const NO_JOB_LEFT = new DOMException('the stream has no job left', 'AbortError');

/** One multiplexed stream and the jobs on it. */
export class SharedChannel {
  private readonly members = new Map<string, Member>();
  private readonly stop = new AbortController();
  private connection: ReturnType<typeof linkSignals> | undefined;
  private running = false;
  private readonly wakeOnResult: boolean;
  private readonly retry: ResolvedRetryOptions;
  private readonly requestTimeoutMs: number;
  private readonly counters = { requests: 0, retries: 0 };

  constructor(
    private readonly hub: ChannelOwner,
    first: Member,
  ) {
    this.wakeOnResult = first.wakeOnResult;
    this.retry = first.ctx.settings.retry;
    this.requestTimeoutMs = first.ctx.settings.requestTimeoutMs;
  }

  /** It still serves a job. */
  get open(): boolean {
    return !this.stop.signal.aborted && this.members.size > 0;
  }

  fits(member: Member, maxIds: number): boolean {
    return (
      !this.stop.signal.aborted &&
      this.members.size < maxIds &&
      !this.members.has(member.jobId) &&
      member.wakeOnResult === this.wakeOnResult &&
      member.ctx.settings.retry === this.retry &&
      member.ctx.settings.requestTimeoutMs === this.requestTimeoutMs
    );
  }

  add(member: Member): void {
    this.members.set(member.jobId, member);
    member.channel = this;
  }

  /** Runs the stream, or reconnects it with the jobs added since it connected. */
  start(): void {
    if (this.running) {
      this.connection?.abort(REOPEN);
      return;
    }
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
      this.stop.abort(NO_JOB_LEFT);
      this.hub.closed(this);
    });
  }

  /** Takes a job off this stream; with `close`, a stream left with no job closes. */
  drop(member: Member, close: boolean): void {
    if (this.members.get(member.jobId) !== member) return;
    this.members.delete(member.jobId);
    member.channel = undefined;
    if (close && this.members.size === 0) this.stop.abort(NO_JOB_LEFT);
  }

  private endAll(outcome: MemberEnd): void {
    for (const member of [...this.members.values()]) {
      this.drop(member, false);
      member.end(outcome);
    }
  }

  private async run(): Promise<void> {
    const { deps } = this.hub;
    const { clock } = deps;
    const tries = { streamFailures: 0, streamDelivered: false };
    const since = clock.now();
    while (this.members.size > 0 && !this.stop.signal.aborted) {
      const members = [...this.members.values()];
      const context: ReaderContext = {
        jobId: undefined,
        retry: this.retry,
        requestTimeoutMs: this.requestTimeoutMs,
        signal: this.stop.signal,
        startedAt: clock.now(),
        // The stream serves its jobs as long as any of them is waited on.
        remainingMs: () => Math.max(...[...this.members.values()].map((m) => m.ctx.listener.remainingMs())),
        counters: this.counters,
        onRequest: () => {
          for (const m of members) {
            m.state.counters.requests += 1;
            m.ctx.listener.onRequest('sse');
          }
        },
        onRetry: (event) => {
          for (const m of this.members.values()) {
            m.state.counters.retries += 1;
            m.ctx.listener.onRetry?.(event);
          }
        },
      };
      const connection = linkSignals(this.stop.signal);
      this.connection = connection;
      let result: StreamResult;
      try {
        result = await followEventStream(
          deps,
          { ...context, signal: connection.signal },
          {
            url: multiEventsUrl(
              deps.baseUrl,
              members.map((m) => m.jobId),
              this.wakeOnResult,
            ),
            headers: deps.headers,
            lastEventId: resumePoint(members.map((m) => m.state.status?.version)),
            idleMs: streamSilenceMs(deps.server.capabilities?.heartbeatMs),
            onEvent: (json, missing) => this.onEvent(json, missing),
          },
        );
      } catch {
        if (connection.signal.reason === REOPEN) continue;
        return; // closed: no job left
      } finally {
        connection.dispose();
        this.connection = undefined;
      }
      if (result.kind === 'terminal') return;
      if (result.kind === 'stale') {
        this.endAll({ kind: 'stale' });
        return;
      }
      if (result.kind === 'unavailable') {
        this.hub.refuse(Infinity);
        this.endAll({ kind: 'fallback', reason: result.reason, forMs: Infinity });
        return;
      }
      // Broken: reconnect under the retry policy, resuming every job at once from what it knows. Streams
      // that connect but never deliver (a proxy, CORS) are given up soon; a server that does not answer
      // at all (down, restarting) is retried like any read.
      let why: string | undefined;
      try {
        why = await afterBrokenStream(deps, context, result, tries, deps.contact.lastAnswerAt > since);
      } catch {
        return; // closed while backing off: no job left
      }
      if (why !== undefined) {
        this.giveUp(why);
        return;
      }
    }
  }

  private giveUp(reason: string): void {
    this.hub.refuse(TRANSPORT_RETRY_MS);
    this.endAll({ kind: 'fallback', reason, forMs: TRANSPORT_RETRY_MS });
  }

  private onEvent(json: unknown, missing: boolean): { stop: boolean; problem?: string } {
    if (missing) {
      const job = readMissing(json);
      if (job === undefined) return { stop: false, problem: 'a missing event without a job id' };
      const member = this.members.get(job.id);
      if (member !== undefined) {
        this.drop(member, false);
        member.end({ kind: 'missing', code: job.code, message: job.message });
      }
      return { stop: this.members.size === 0 };
    }
    const parsed = parseStatus(json);
    if (!parsed.ok) return { stop: false, problem: parsed.problem };
    const member = parsed.status.jobId === undefined ? undefined : this.members.get(parsed.status.jobId);
    // A job whose waits all left is still on the server's list until the next reconnect.
    if (member === undefined) return { stop: false };
    if (accept(member.ctx, member.state, parsed.status).result !== 'pending') {
      this.drop(member, false);
      member.end({ kind: 'ended' });
    }
    return { stop: this.members.size === 0 };
  }
}
