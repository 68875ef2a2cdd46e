/**
 * What a broken event stream (a job's own or a shared one) calls for: a transient failure, so back off
 * under the retry policy and reconnect from the last event; or, said why, give the stream up for a
 * while (`TRANSPORT_RETRY_MS`) and let the waits fall back.
 */
import { afterFailure, type ReaderContext } from '../http/retrying-request.js';
import type { StreamResult } from '../http/event-stream.js';
import type { WatchDeps } from './context.js';

/** Connection attempts a stream gets before it is given up, while it has never delivered. */
export const STREAM_FIRST_TRIES = 2;

/** A stream's failures in a row, and whether it ever delivered an event (see `WatchState`). */
export interface StreamTries {
  streamFailures: number;
  streamDelivered: boolean;
}

/**
 * Counts the break into `tries` (a stream that delivered before breaking starts afresh) and backs off;
 * returns why to give the stream up instead, or undefined to reconnect. Never having delivered gives it
 * up early only when `blocked` says the server is reachable (a proxy or CORS blocking streams): a server
 * that does not answer at all is retried like any read. Rejects when the context's signal aborts.
 */
export async function afterBrokenStream(
  deps: WatchDeps,
  context: ReaderContext,
  result: Extract<StreamResult, { kind: 'broken' }>,
  tries: StreamTries,
  blocked: boolean,
): Promise<string | undefined> {
  const { code } = result.error;
  deps.logger.debug({ jobId: context.jobId, code, events: result.events }, `an event stream broke (${code})`);
  if (result.events > 0) tries.streamDelivered = true;
  tries.streamFailures = result.events > 0 ? 1 : tries.streamFailures + 1;
  if (!tries.streamDelivered && tries.streamFailures >= STREAM_FIRST_TRIES && blocked) {
    return `the stream never delivered an event (${code})`;
  }
  try {
    await afterFailure(deps, context, result.failure, result.error, tries.streamFailures);
    return undefined;
  } catch (error) {
    if (context.signal.aborted) throw error;
    return `the stream kept breaking (${code})`;
  }
}
