/** What an event stream (SSE) carries beyond its framing: request headers, content type, event data. */
import type { ServerSentEvent } from './sse-framing.js';

/**
 * Headers of a stream request. No Cache-Control: it is not CORS-safelisted, and a browser would need a
 * preflight grant for it. `Last-Event-ID` resumes after the last event seen.
 */
export function streamHeaders(
  headers: Readonly<Record<string, string>>,
  lastEventId: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = { ...headers, accept: 'text/event-stream' };
  if (lastEventId !== undefined) out['last-event-id'] = lastEventId;
  return out;
}

export function isEventStream(contentType: string): boolean {
  return contentType.toLowerCase().startsWith('text/event-stream');
}

/**
 * An event's job resource (`missing`: a multiplexed stream's job the server does not know, see
 * `multi-events.ts`), or what is wrong with it (`stop: false`: the stream cannot go on as is).
 */
export type EventData =
  { readonly json: unknown; readonly missing: boolean } | { readonly stop: false; readonly problem: string };

/**
 * A `status` (or unnamed) event carries the job resource as JSON, a `missing` one an unknown job's id;
 * other events are not ours (undefined).
 */
export function readEventData(event: ServerSentEvent): EventData | undefined {
  const missing = event.event === 'missing';
  if (event.event !== 'status' && event.event !== 'message' && !missing) return undefined;
  try {
    return { json: JSON.parse(event.data) as unknown, missing };
  } catch {
    return { stop: false, problem: 'an event carried data that is not JSON' };
  }
}
