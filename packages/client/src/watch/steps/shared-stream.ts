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
import { readStatus } from '../read-status.js';
import type { ChannelKind } from '../shared-channel.js';
import type { StreamHub } from '../stream-hub.js';
import { jobIdOf, type WatchState } from '../state.js';
import { streamUrlOf } from './event-stream.js';

export async function sharedStep(
  ctx: StepContext,
  state: WatchState,
  kind: ChannelKind,
  signal: AbortSignal,
  hub: StreamHub,
): Promise<void> {
  const own = kind === 'sse';
  // A job's own stream may be the server's default job's, which the server named.
  const jobId = own ? jobIdOf(state) : state.jobId;
  if (jobId === undefined || (own && streamUrlOf(ctx, state) === undefined)) {
    fallBack(ctx, state, kind, own ? 'no event stream URL' : 'no shared channel for this wait');
    return;
  }
  // A job's own stream sends every change.
  const endingsOnly = !own && wakesOnResultOnly(ctx.listener.followsStages());
  // A stream is hedged: silent past the job's ETA, its status is read plainly. A batch needs no hedge:
  // its holds end by then.
  const hedge = kind === 'batch' ? undefined : new StreamHedge(ctx, state, signal, endingsOnly);
  let end;
  try {
    end = await hub.follow(kind, ctx, jobId, state, signal, endingsOnly);
  } finally {
    hedge?.stop();
  }
  switch (end.kind) {
    case 'ended':
      return;
    case 'left':
      if (signal.aborted) throw signal.reason;
      // Cut by a wait that follows the stages (the loop joins a channel that sends them), or by the
      // hedge (the loop goes on from what it read).
      return;
    case 'stale': {
      const next = await readStatus(ctx, state, signal);
      // Still pending: the stream and the status disagree; streaming again would loop, so fall back.
      if (next.result === 'pending') fallBack(ctx, state, kind, 'the stream answered 204 for a pending job');
      return;
    }
    case 'fallback':
      fallBack(ctx, state, kind, end.reason, end.forMs);
      return;
    case 'missing':
      throw new HttpError({
        jobId,
        url: state.url,
        status: 404,
        serverCode: end.code,
        serverMessage: end.message,
        elapsedMs: ctx.deps.clock.now() - state.startedAt,
        attempts: state.counters.requests,
      });
  }
}

export { StreamHub } from '../stream-hub.js';
/**
 * Not used by the channels, on purpose: esbuild puts the modules a lazily loaded chunk shares with the
 * page's entry into a chunk of their own, a second file loaded up front and gzipped apart (~0.9 KB more).
 * Depending on the client's root keeps all of the client's up-front code in that one chunk.
 */
export { TranslationClient } from '../../client.js';
