/**
 * The shared step: the watch's job joins one of the client's channels (see `stream-hub.ts`), a
 * multiplexed stream (`multi`) or a held batch (`batch`), until it ends there. When nobody follows the
 * stages the channel sends only endings; a wait that follows them joining cuts that short, and the loop
 * joins again on a channel that sends every change. A job the server does not know fails this wait
 * alone, as its own read would.
 */
import { HttpError } from '../../errors/index.js';
import { fallBack, type StepContext } from '../context.js';
import { wakesOnResultOnly } from '../hold-plan.js';
import { hedgeStream } from '../hedge.js';
import { readStatus } from '../read-status.js';
import type { ChannelKind } from '../shared-channel.js';
import { streamSilenceMs } from '../silence.js';
import type { WatchState } from '../state.js';

export async function sharedStep(
  ctx: StepContext,
  state: WatchState,
  kind: ChannelKind,
  signal: AbortSignal,
): Promise<void> {
  const { hub } = ctx.deps;
  const jobId = state.jobId;
  if (hub === undefined || jobId === undefined) {
    fallBack(ctx, state, kind, 'no shared channel for this wait');
    return;
  }
  const endingsOnly = wakesOnResultOnly(ctx.listener.followsStages());
  // A shared stream is hedged as a job's own is: silent past the job's ETA, its status is read plainly.
  // A batch needs no hedge: its holds end by then.
  const hedge =
    kind === 'multi'
      ? hedgeStream(
          ctx,
          state,
          signal,
          streamSilenceMs(state.hints?.capabilities.heartbeatMs ?? ctx.deps.server.capabilities?.heartbeatMs),
          endingsOnly,
        )
      : undefined;
  let end;
  try {
    end = await hub.follow(kind, ctx, jobId, state, hedge?.signal ?? signal, endingsOnly);
  } finally {
    await hedge?.stop();
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
      if (next.result === 'pending')
        fallBack(ctx, state, kind, 'the shared stream answered 204 for a pending job');
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
