/**
 * Where a job's own event stream is. The stream itself is a channel of one job of the client's hub
 * (`StreamChannel` in `stream-channel.ts`), followed by the channel step (`shared-stream.ts`).
 */
import { eventsUrl } from '../../protocol/paths.js';
import type { StepContext } from '../context.js';
import { jobIdOf, type WatchState } from '../state.js';

/**
 * The stream to follow: the one the job's answer advertised, else the conventional path when the caller
 * forced `sse` or the server said it streams (an earlier answer), even before this job's own answer.
 */
export function streamUrlOf(ctx: StepContext, state: WatchState): string | undefined {
  const advertised = state.hints?.eventsUrl;
  if (advertised !== undefined) return advertised;
  const id = jobIdOf(state);
  const streams = ctx.settings.transport === 'sse' || ctx.deps.server.capabilities?.events === true;
  if (!streams || id === undefined) return undefined;
  return eventsUrl(ctx.deps.baseUrl, id);
}
