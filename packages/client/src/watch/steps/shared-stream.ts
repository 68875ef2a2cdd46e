/**
 * The channel step: the watch's job follows one of the client's channels (see `stream-hub.ts`) until it
 * ends there: a multiplexed stream (`multi`) or a held batch (`batch`) shared with other waits, or its
 * own event stream (`sse`). When nobody follows the stages a shared channel sends only endings; a wait
 * that follows them joining cuts that short, and the loop joins again on a channel that sends every
 * change. A stream silent past the job's ETA is checked by a plain read (see `hedge.ts`). A job the
 * server does not know fails this wait alone, as its own read would. Loaded on demand with the hub and
 * its channels (see `channels.ts`).
 */
import { HttpError } from '../../errors/index.js';
import { fallBack, type StepContext } from '../context.js';
import { wakesOnResultOnly } from '../hold-plan.js';
import { StreamHedge } from '../hedge.js';
import type { Cuttable } from '../pauses.js';
import { readStatus } from '../read-status.js';
import type { Channel, ChannelKind, Member, MemberEnd } from '../shared-channel.js';
import { jobIdOf, type WatchState } from '../state.js';
import type { StepLoop } from '../channels.js';
import type { StreamHub } from '../stream-hub.js';
import { streamUrlOf } from './event-stream.js';

/** Follows the job on a channel of `kind` of `hub`; `loop` goes on once its time there is over. */
export function sharedStep(
  ctx: StepContext,
  state: WatchState,
  kind: ChannelKind,
  loop: StepLoop,
  hub: StreamHub,
): void {
  const own = kind === 'sse';
  // A job's own stream may be the server's default job's, which the server named.
  const jobId = own ? jobIdOf(state) : state.jobId;
  if (jobId === undefined || (own && streamUrlOf(ctx, state) === undefined)) {
    fallBack(ctx, state, kind, own ? 'no event stream URL' : 'no shared channel for this wait');
    loop.after(Promise.resolve());
    return;
  }
  // A job's own stream sends every change.
  const step = new ChannelStep(
    ctx,
    state,
    kind,
    jobId,
    !own && wakesOnResultOnly(ctx.listener.followsStages()),
    loop,
    hub,
  );
  // Cut by a hedge that saw more, and (following endings only) by a wait that follows the stages.
  ctx.pauses.onCut(step, step.wakeOnResult);
  hub.follow(step);
}

/**
 * A wait's time on a channel, as the channel's member: the whole pending state of a wait there, and on
 * a stream its hedge too (silent past the job's ETA, its status is read plainly; a batch needs no
 * hedge: its holds end by then). `end` (from the channel) goes on with the watch's loop; `cut` (from
 * the watch's pauses: a hedge that saw more, a wait that follows the stages joining, the watch
 * stopping) leaves the channel.
 */
class ChannelStep extends StreamHedge implements Member, Cuttable {
  channel: Channel | undefined = undefined;
  #over = false;

  constructor(
    ctx: StepContext,
    state: WatchState,
    readonly kind: ChannelKind,
    readonly jobId: string,
    wakeOnResult: boolean,
    readonly loop: StepLoop,
    readonly hub: StreamHub,
  ) {
    super(ctx, state, wakeOnResult);
    if (kind !== 'batch') this.fire();
  }

  cut(): void {
    this.hub.leave(this);
  }

  protected override waits(): boolean {
    return this.channel?.holdsHedge(this) === true;
  }

  /**
   * 'ended': the ending is in the state; 'left': cut by a wait that follows the stages (the loop joins a
   * channel that sends them) or by the hedge (the loop goes on from what it read). The loop goes on
   * after a microtask, not from inside the channel's delivery.
   */
  end(outcome: MemberEnd): void {
    const { ctx, state, kind, loop } = this;
    if (this.#over) return;
    this.#over = true;
    this.stop();
    ctx.pauses.onCut(undefined);
    if (loop.stopped) return;
    if (outcome.kind === 'fallback') fallBack(ctx, state, kind, outcome.reason, outcome.forMs);
    loop.after(
      outcome.kind === 'stale'
        ? readStatus(ctx, state, loop.signal()).then((next) => {
            // Still pending: the stream and the status disagree; streaming again would loop, so fall back.
            if (next.result === 'pending')
              fallBack(ctx, state, kind, 'the stream answered 204 for a pending job');
          })
        : outcome.kind === 'missing'
          ? Promise.reject(
              new HttpError({
                jobId: this.jobId,
                url: state.url,
                status: 404,
                serverCode: outcome.code,
                serverMessage: outcome.message,
                elapsedMs: ctx.deps.clock.now() - state.startedAt,
                attempts: state.counters.requests,
              }),
            )
          : Promise.resolve(),
    );
  }
}

export { StreamHub } from '../stream-hub.js';
/**
 * Not used by the channels, on purpose: esbuild puts the modules a lazily loaded chunk shares with the
 * page's entry into a chunk of their own, a second file loaded up front and gzipped apart (~0.9 KB more).
 * Depending on the client's root keeps all of the client's up-front code in that one chunk.
 */
export { TranslationClient } from '../../client.js';
