/**
 * The shared-stream step: the watch's job joins one of the client's multiplexed streams (see
 * `stream-hub.ts`) until it ends there. When nobody follows the stages the stream sends only endings;
 * a wait that follows them joining cuts that short, and the loop joins again on a stream that sends
 * every change. A job the server does not know fails this wait alone, as its own read would.
 */
import { HttpError } from '../../errors/index.js';
import { fallBack, type StepContext } from '../context.js';
import { wakesOnResultOnly } from '../hold-plan.js';
import { hedgeStream } from '../hedge.js';
import { readStatus } from '../read-status.js';
import { streamSilenceMs } from '../silence.js';
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
  // A shared stream is hedged as a job's own is: silent past the job's ETA, its status is read plainly.
  const idleMs = streamSilenceMs(
    state.hints?.capabilities.heartbeatMs ?? ctx.deps.server.capabilities?.heartbeatMs,
  );
  const endingsOnly = wakesOnResultOnly(ctx.listener.followsStages());
  const hedge = hedgeStream(ctx, state, signal, idleMs, endingsOnly);
  let end;
  try {
    end = await hub.follow(ctx, jobId, state, hedge.signal, endingsOnly);
  } finally {
    await hedge.stop();
  }
  switch (end.kind) {
    case 'ended':
      return;
    case 'left':
      if (signal.aborted) throw signal.reason;
      // Cut by a wait that follows the stages (the loop joins a stream that sends them), or by the hedge
      // (the loop goes on from what it read).
      return;
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
