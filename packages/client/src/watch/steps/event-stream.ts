/**
 * The event-stream step: one SSE connection, resumed with `Last-Event-ID`; a broken one is retried under
 * the retry policy, and a missing or hopeless one is given up for the next transport. A stream silent
 * past a heartbeat is reconnected, and one silent past the job's ETA is checked by a plain read (see
 * `hedge.ts`) while it stays open.
 */
import { followEventStream } from '../../http/event-stream.js';
import { eventsUrl } from '../../protocol/paths.js';
import { parseStatus } from '../../protocol/status.js';
import { accept, fallBack, readerContext, TRANSPORT_RETRY_MS, type StepContext } from '../context.js';
import { afterBrokenStream } from '../broken-stream.js';
import { hedgeStream } from '../hedge.js';
import { readStatus } from '../read-status.js';
import { streamSilenceMs } from '../silence.js';
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

export async function streamStep(ctx: StepContext, state: WatchState, signal: AbortSignal): Promise<void> {
  const url = streamUrlOf(ctx, state);
  if (url === undefined) {
    fallBack(ctx, state, 'sse', 'no event stream URL');
    return;
  }
  const context = readerContext(ctx, state, signal);
  const idleMs = streamSilenceMs(
    state.hints?.capabilities.heartbeatMs ?? ctx.deps.server.capabilities?.heartbeatMs,
  );
  const hedge = hedgeStream(ctx, state, signal, idleMs);
  let result;
  try {
    result = await followEventStream(
      ctx.deps,
      { ...context, signal: hedge.signal },
      {
        url,
        headers: ctx.deps.headers,
        lastEventId: state.lastEventId,
        idleMs,
        // A job's own stream sends no `missing` event; one would not parse as a status.
        onEvent: (json) => {
          const parsed = parseStatus(json);
          if (!parsed.ok) return { stop: false, problem: parsed.problem };
          return { stop: accept(ctx, state, parsed.status).result !== 'pending' };
        },
      },
    );
  } catch (error) {
    if (!hedge.cut()) throw error;
    return; // the loop goes on from what the hedge read
  } finally {
    await hedge.stop();
  }
  switch (result.kind) {
    case 'terminal':
      return;
    case 'stale': {
      // The server says the job ended at or before our Last-Event-ID: read it. Still pending means the
      // stream and the status disagree; streaming again would loop, so fall back.
      const next = await readStatus(ctx, state, signal);
      if (next.result === 'pending') fallBack(ctx, state, 'sse', 'the stream answered 204 for a pending job');
      return;
    }
    case 'unavailable':
      fallBack(ctx, state, 'sse', result.reason);
      return;
    case 'broken':
      break;
  }
  // A broken stream is a transient failure: reconnect with Last-Event-ID after the policy's pause; when
  // the policy says stop, or the stream never delivered, fall back to another transport for a while.
  const why = await afterBrokenStream(ctx.deps, context, result, state, true);
  if (why !== undefined) fallBack(ctx, state, 'sse', why, TRANSPORT_RETRY_MS);
}
