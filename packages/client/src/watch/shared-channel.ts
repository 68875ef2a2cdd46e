/**
 * A channel of the client's `StreamHub`: the jobs of several watches followed over one connection, each
 * job's statuses fed into its own watch's state through `accept`. What every kind shares is here (the
 * members, joining by reopening, closing with no job left, the reads' context); `StreamChannel`
 * (`stream-channel.ts`) is an event stream, `BatchChannel` (`batch-channel.ts`) the held batch read.
 */
import { linkSignals, type LinkedSignal } from '../common/signals.js';
import type { ReaderContext } from '../http/retrying-request.js';
import type { ActiveTransportName } from '../options/types.js';
import type { JobStatus } from '../protocol/status.js';
import { accept, type StepContext, type WatchDeps, type WatchSettings } from './context.js';
import type { WatchState } from './state.js';

/**
 * What a channel carries: a multiplexed event stream, held batch reads, or a job's own event stream
 * (`sse`: a channel of one job, so that one stream transport serves both kinds of stream).
 */
export type ChannelKind = 'multi' | 'batch' | 'sse';

/** How a job's time on a channel ended, for its step to act on. */
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
  readonly kind: ChannelKind;
  readonly ctx: StepContext;
  readonly state: WatchState;
  readonly wakeOnResult: boolean;
  channel: Channel | undefined;
  end(outcome: MemberEnd): void;
}

/** What a channel needs of the hub that made it. */
export interface ChannelOwner {
  readonly deps: WatchDeps;
  /** Shared channels of `kind` are given up for every wait for `forMs`. */
  refuse(kind: Exclude<ChannelKind, 'sse'>, forMs: number): void;
  /** The channel ended. */
  closed(channel: Channel): void;
}

export const REOPEN = new DOMException('the channel reopens with new jobs', 'AbortError');
/** Shared, as `REOPEN`: a reason made per channel would keep its frames alive through its stack trace. */
const NO_JOB_LEFT = new DOMException('the channel has no job left', 'AbortError');

export abstract class Channel {
  protected readonly members = new Map<string, Member>();
  protected readonly stop = new AbortController();
  /** The connection (or read) in progress; a joiner aborts it with `REOPEN`. */
  protected connection: LinkedSignal | undefined;
  #running = false;
  readonly kind: ChannelKind;
  protected readonly wakeOnResult: boolean;
  protected readonly settings: WatchSettings;
  readonly #counters = { requests: 0, retries: 0 };
  /** When its connection last broke; it is reconnected under the retry policy. */
  protected brokeAt = -Infinity;

  constructor(
    protected readonly hub: ChannelOwner,
    first: Member,
  ) {
    this.kind = first.kind;
    this.wakeOnResult = first.wakeOnResult;
    this.settings = first.ctx.settings;
  }

  /** It still serves a job. */
  get open(): boolean {
    return !this.stop.signal.aborted && this.members.size > 0;
  }

  fits(member: Member, maxIds: number): boolean {
    const { settings } = member.ctx;
    return (
      this.open &&
      this.members.size < maxIds &&
      !this.members.has(member.jobId) &&
      member.kind === this.kind &&
      member.wakeOnResult === this.wakeOnResult &&
      settings.retry === this.settings.retry &&
      settings.requestTimeoutMs === this.settings.requestTimeoutMs &&
      // A batch also polls and holds as its members would.
      (this.kind === 'multi' ||
        (settings.transport === this.settings.transport && settings.polling === this.settings.polling))
    );
  }

  add(member: Member): void {
    this.members.set(member.jobId, member);
    member.channel = this;
  }

  /** Runs the channel, or reconnects it with the jobs added since it connected. */
  start(): void {
    if (this.#running) {
      this.reopen();
      return;
    }
    this.#running = true;
    void this.run().finally(() => {
      this.#running = false;
      this.stop.abort(NO_JOB_LEFT);
      this.hub.closed(this);
    });
  }

  /** Cuts the connection in progress, so the channel reconnects with every job it has now. */
  protected reopen(): void {
    this.connection?.abort(REOPEN);
  }

  /**
   * Whether `member`'s hedge should wait rather than read: nothing has answered since the stream broke
   * (the server may be down; the reconnects are the budgeted probes, where a read per wait would send
   * every wait there on its own), and the channel's first member's hedge reads for them all.
   */
  holdsHedge(member: Member): boolean {
    return (
      this.hub.deps.contact.lastAnswerAt < this.brokeAt && this.members.keys().next().value !== member.jobId
    );
  }

  /** Takes a job off this channel; with `close`, a channel left with no job closes. */
  drop(member: Member, close: boolean): void {
    if (this.members.get(member.jobId) !== member) return;
    this.members.delete(member.jobId);
    member.channel = undefined;
    if (close && this.members.size === 0) this.stop.abort(NO_JOB_LEFT);
  }

  protected settle(member: Member, outcome: MemberEnd): void {
    this.drop(member, false);
    member.end(outcome);
  }

  protected endAll(outcome: MemberEnd): void {
    for (const member of [...this.members.values()]) this.settle(member, outcome);
  }

  /**
   * Gives the channel up for `forMs` (a shared one for every wait); its jobs fall back to their own
   * transports.
   */
  protected giveUp(reason: string, forMs: number): void {
    if (this.kind !== 'sse') this.hub.refuse(this.kind, forMs);
    this.endAll({ kind: 'fallback', reason, forMs });
  }

  /** A status for job `jobId` (or the one it names): into its watch's state; an ending ends its time here. */
  protected deliver(jobId: string | undefined, status: JobStatus): void {
    const member = jobId === undefined ? undefined : this.members.get(jobId);
    // A job whose waits all left is still on the server's list until the next reconnect.
    if (member !== undefined && accept(member.ctx, member.state, status).result !== 'pending')
      this.settle(member, { kind: 'ended' });
  }

  /** The context of the channel's requests: counted for, and reported to, every job on it. */
  protected reader(transport: ActiveTransportName): ReaderContext {
    const { clock } = this.hub.deps;
    const members = [...this.members.values()];
    return {
      jobId: this.kind === 'sse' ? members[0]?.jobId : undefined,
      retry: this.settings.retry,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      signal: this.stop.signal,
      startedAt: clock.now(),
      // The channel serves its jobs as long as any of them is waited on.
      remainingMs: () => Math.max(...[...this.members.values()].map((m) => m.ctx.listener.remainingMs())),
      counters: this.#counters,
      onRequest: () => {
        for (const m of members) {
          m.state.counters.requests += 1;
          m.state.transport = transport;
          m.ctx.listener.onRequest(transport);
        }
      },
      onRetry: (event) => {
        for (const m of this.members.values()) {
          m.state.counters.retries += 1;
          m.ctx.listener.onRetry?.(event);
        }
      },
    };
  }

  /** Runs `io` on a fresh connection signal; false when a joiner cut it short (`REOPEN`). */
  protected async connect<T>(io: (signal: AbortSignal) => Promise<T>): Promise<{ value: T } | undefined> {
    const connection = linkSignals(this.stop.signal);
    this.connection = connection;
    try {
      return { value: await io(connection.signal) };
    } catch (error) {
      if (connection.signal.reason === REOPEN) return undefined;
      throw error;
    } finally {
      connection.dispose();
      this.connection = undefined;
    }
  }

  protected abstract run(): Promise<void>;
}
