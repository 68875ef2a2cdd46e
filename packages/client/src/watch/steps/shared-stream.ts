/**
 * The shared-stream step: the watch's job joins one of the client's multiplexed streams (see
 * `stream-hub.ts`) until it ends there. When nobody follows the stages the stream sends only endings;
 * a wait that follows them joining cuts that short, and the loop joins again on a stream that sends
 * every change. A job the server does not know fails this wait alone, as its own read would.
 */
import { HttpError } from '../../errors/index.js';
import { fallBack, type StepContext } from '../context.js';
import { wakesOnResultOnly } from '../hold-plan.js';
import { readStatus } from '../read-status.js';
import type { WatchState } from '../state.js';

export async function sharedStreamStep(
  ctx: StepContext,
  state: WatchState,
  signal: AbortSignal,
): Promise<void> {
  const { hub } = ctx.deps;
  const jobId = state.jobId;
  if (hub === undefined || jobId === undefined) {
    fallBack(ctx, state, 'multi', 'no shared stream for this wait');
    return;
  }
  const end = await hub.follow(ctx, jobId, state, signal, wakesOnResultOnly(ctx.listener.followsStages()));
  switch (end.kind) {
    case 'ended':
      return;
    case 'left':
      if (signal.aborted) throw signal.reason;
      return; // cut by a wait that follows the stages: the loop joins a stream that sends them
    case 'stale': {
      const next = await readStatus(ctx, state, signal);
      if (next.result === 'pending')
        fallBack(ctx, state, 'multi', 'the shared stream answered 204 for a pending job');
      return;
    }
    case 'fallback':
      fallBack(ctx, state, 'multi', end.reason, end.forMs);
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
