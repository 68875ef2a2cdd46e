/**
 * The event-stream step: one SSE connection, resumed with `Last-Event-ID`; a broken one is retried under
 * the retry policy, and a missing or hopeless one is given up for the next transport.
 */
import { afterFailure } from '../../http/retrying-request.js';
import { followEventStream } from '../../http/event-stream.js';
import { eventsUrl } from '../../protocol/paths.js';
import { parseStatus } from '../../protocol/status.js';
import { accept, fallBack, readerContext, type StepContext } from '../context.js';
import { readStatus } from '../read-status.js';
import { jobIdOf, type WatchState } from '../state.js';

/** Connection attempts an event stream gets before falling back, while it has never delivered. */
const STREAM_FIRST_TRIES = 2;

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
  const result = await followEventStream(ctx.deps, context, {
    url,
    headers: ctx.deps.headers,
    lastEventId: state.lastEventId,
    onEvent: (json) => {
      const parsed = parseStatus(json);
      if (!parsed.ok) return { stop: false, problem: parsed.problem };
      return { stop: accept(ctx, state, parsed.status).result !== 'pending' };
    },
  });
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
  // A broken stream is a transient failure: back off under the retry policy, then reconnect with
  // Last-Event-ID. A stream that delivered events before breaking starts the count afresh. When the
  // policy says stop, fall back to another transport rather than fail the wait.
  if (result.events > 0) state.streamDelivered = true;
  state.streamFailures = result.events > 0 ? 1 : state.streamFailures + 1;
  if (!state.streamDelivered && state.streamFailures >= STREAM_FIRST_TRIES) {
    // Never delivered anything (a proxy or CORS may block streams): do not spend the retries on it.
    fallBack(ctx, state, 'sse', `the stream never delivered an event (${result.error.code})`);
    return;
  }
  try {
    await afterFailure(ctx.deps, context, result.failure, result.error, state.streamFailures);
  } catch (error) {
    if (signal.aborted) throw error;
    fallBack(ctx, state, 'sse', `the stream kept breaking (${result.error.code})`);
  }
}
