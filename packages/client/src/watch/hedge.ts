/**
 * The hedge beside an open stream (a job's own or a shared one): once the job should have ended (its
 * ETA plus grace, counted from the last status) with nothing on the stream, the status is read plainly.
 * When that read shows the ending or a version the stream never delivered, the stream is cut and the
 * watch's loop goes on from what was read; an unchanged answer just refreshes the ETA.
 *
 * A hedge waits as an entry in the client's deadline heap: ten thousand waits on shared streams cost
 * ten thousand small records, not a timer, a sleeping promise and two abort signals each. The abort
 * signal of a read exists only while the read is in flight.
 */
import { readStatus } from './read-status.js';
import { streamSilenceMs, suspectAt } from './silence.js';
import { jobIdOf, type WatchState } from './state.js';
import type { StepContext } from './context.js';
import type { Deadline } from './deadlines.js';
import { CUT } from './pauses.js';

/** How often a hedge that waits (`waits()`) looks again. */
const WAITING_RECHECK_MS = 1_000;

/** How long a stream may stay silent before it is reconnected: a heartbeat as announced, and a margin. */
function streamIdleMs(ctx: StepContext, state: WatchState): number {
  return streamSilenceMs(state.hints?.capabilities.heartbeatMs ?? ctx.deps.server.capabilities?.heartbeatMs);
}

/**
 * Hedges a stream from its first `fire()` until `stop()` (which ends a read in progress too): when a
 * plain read saw more than the stream, it cuts the stream (once) through `Pauses.cutHold`.
 * `wakeOnResult`: the stream sends only endings, so a later pending version is no sign that it lost
 * one. The base of a wait's time on a channel (`ChannelStep`), so a wait on a stream is one record.
 */
export class StreamHedge implements Deadline {
  at = 0;
  index = -1;
  #stopped = false;
  #read: AbortController | undefined;

  constructor(
    readonly ctx: StepContext,
    readonly state: WatchState,
    readonly wakeOnResult: boolean,
  ) {}

  /** Reads plainly once the job should have ended; until then (or with no ETA known) waits on. */
  fire(): void {
    const { ctx, state } = this;
    const now = ctx.deps.clock.now();
    const at = suspectAt(state.status, state.statusAt);
    if (this.#stopped) return;
    if (at === undefined || at > now || this.waits()) {
      // Without an estimate there is nothing to suspect yet: look again once an event may have brought
      // one (a fresh stream's first event is due within a request timeout).
      this.at =
        at === undefined
          ? now + (state.status === undefined ? ctx.settings.requestTimeoutMs : streamIdleMs(ctx, state))
          : Math.max(at, now + WAITING_RECHECK_MS);
      ctx.deps.deadlines.add(this);
    } else void this.#readPlainly();
  }

  /** Whether to wait rather than read, though the job should have ended (see `Channel.holdsHedge`). */
  protected waits(): boolean {
    return false;
  }

  async #readPlainly(): Promise<void> {
    const { ctx, state } = this;
    const { logger } = ctx.deps;
    const before = state.status?.version;
    logger.debug(
      { jobId: jobIdOf(state), version: before },
      "the event stream is silent past the job's ETA: reading the status plainly (hedge)",
    );
    const read = (this.#read = new AbortController());
    try {
      const status = await readStatus(ctx, state, read.signal);
      const newer =
        !this.wakeOnResult &&
        status.version !== undefined &&
        (before === undefined || status.version > before);
      if (status.result === 'pending' && !newer) this.fire();
      else if (!this.#stopped) {
        this.#stopped = true;
        ctx.pauses.cutHold();
      }
    } catch (error) {
      if (!read.signal.aborted)
        logger.debug(
          { jobId: jobIdOf(state), err: error },
          'the hedge read failed; following the stream still',
        );
    }
  }

  /** Ends the hedge, and a read in progress; call once the stream is over. */
  stop(): void {
    this.#stopped = true;
    this.ctx.deps.deadlines.remove(this);
    this.#read?.abort(CUT);
  }
}
