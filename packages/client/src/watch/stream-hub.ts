/**
 * The client's shared streams: the watches that choose the `multi` step join here, are gathered for a
 * moment, and follow their jobs over `GET /events?ids=` streams of up to `max-ids` jobs each. Each
 * job's statuses go into its own watch's state through `accept`, as its own stream's would; a joiner
 * fills a stream with room, which reconnects with the union (resuming every job from the versions
 * known, so nothing is lost or sent twice), and a stream nobody needs any more closes.
 */
import { linkSignals } from '../common/signals.js';
import type { ReaderContext } from '../http/retrying-request.js';
import { followEventStream, type StreamResult } from '../http/event-stream.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import { DEFAULT_MULTI_MAX_IDS, multiEventsUrl, readMissing, resumePoint } from '../protocol/multi-events.js';
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

interface Member {
  readonly jobId: string;
  readonly ctx: StepContext;
  readonly state: WatchState;
  readonly wakeOnResult: boolean;
  channel: Channel | undefined;
  end(outcome: MemberEnd): void;
}

/**
 * When to place joiners: with no stream open, at the end of the current task (waits started in one loop
 * share a request, and a lone wait is not delayed); while streams are open, `GATHER_MS` after the first
 * joiner and at most once per `REGATHER_MS`, so waits trickling in cost a request per batch of them, not
 * one each. A joiner's first state is late by at most that much.
 */
export const GATHER_MS = 5;
export const REGATHER_MS = 100;

const REOPEN = new DOMException('the stream reopens with new jobs', 'AbortError');
/** Shared, as `REOPEN`: a reason made per stream would keep its frames alive through its stack trace. */
const NO_JOB_LEFT = new DOMException('the stream has no job left', 'AbortError');

export class StreamHub {
  private readonly joining = new Set<Member>();
  private readonly channels = new Set<Channel>();
  private gathering = false;
  private lastGatherAt = -Infinity;
  /** Until when shared streams are given up for every wait (the route missing or refused). */
  private refusedUntil = -Infinity;

  constructor(readonly deps: WatchDeps) {}

  /** Whether new waits may share streams now. */
  open(now: number): boolean {
    return now >= this.refusedUntil;
  }

  /**
   * Follows job `jobId` of `state` on a shared stream until it ends there, the stream fails, or `signal`
   * aborts; one that follows endings only also leaves when a wait that follows the stages joins its
   * watch (see `Pauses.onCut`).
   */
  follow(
    ctx: StepContext,
    jobId: string,
    state: WatchState,
    signal: AbortSignal,
    wakeOnResult: boolean,
  ): Promise<MemberEnd> {
    return new Promise<MemberEnd>((resolve) => {
      if (signal.aborted) {
        resolve({ kind: 'left' });
        return;
      }
      const leave = (): void => {
        this.joining.delete(member);
        member.channel?.drop(member, true);
        member.end({ kind: 'left' });
      };
      if (wakeOnResult) ctx.pauses.onCut(leave);
      const member: Member = {
        jobId,
        ctx,
        state,
        wakeOnResult,
        channel: undefined,
        end: (outcome) => {
          signal.removeEventListener('abort', leave);
          if (wakeOnResult) ctx.pauses.onCut(undefined);
          resolve(outcome);
        },
      };
      signal.addEventListener('abort', leave, { once: true });
      this.joining.add(member);
      this.gather();
    });
  }

  refuse(forMs: number): void {
    this.refusedUntil = Math.max(this.refusedUntil, this.deps.clock.now() + forMs);
  }

  private gather(): void {
    if (this.gathering) return;
    this.gathering = true;
    const { clock } = this.deps;
    const now = clock.now();
    let open = false;
    for (const channel of this.channels) open ||= channel.open;
    const at = open ? Math.max(now + GATHER_MS, this.lastGatherAt + REGATHER_MS) : now;
    void clock.sleep(at - now).then(() => {
      this.gathering = false;
      this.lastGatherAt = clock.now();
      this.place();
    });
  }

  /** Puts every joiner on a stream with room for it (same wake mode and policy), else on a new one. */
  private place(): void {
    const touched = new Set<Channel>();
    const maxIds = this.deps.server.capabilities?.maxIds ?? DEFAULT_MULTI_MAX_IDS;
    for (const member of this.joining) {
      let channel: Channel | undefined;
      for (const c of this.channels) if (c.fits(member, maxIds)) channel = c;
      if (channel === undefined) {
        channel = new Channel(this, member);
        this.channels.add(channel);
      }
      channel.add(member);
      touched.add(channel);
    }
    this.joining.clear();
    for (const channel of touched) channel.start();
  }

  /** @internal A channel that ended. */
  closed(channel: Channel): void {
    this.channels.delete(channel);
  }
}

/** One multiplexed stream and the jobs on it. */
class Channel {
  private readonly members = new Map<string, Member>();
  private readonly stop = new AbortController();
  private connection: ReturnType<typeof linkSignals> | undefined;
  private running = false;
  private readonly wakeOnResult: boolean;
  private readonly retry: ResolvedRetryOptions;
  private readonly requestTimeoutMs: number;
  private readonly counters = { requests: 0, retries: 0 };

  constructor(
    private readonly hub: StreamHub,
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
