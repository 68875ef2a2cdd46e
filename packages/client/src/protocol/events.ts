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

export type EventData =
  | { readonly kind: 'ignored' }
  /** `missing`: a multiplexed stream's job the server does not know (see `multi-events.ts`). */
  | { readonly kind: 'json'; readonly json: unknown; readonly missing: boolean }
  | { readonly kind: 'problem'; readonly problem: string };

/**
 * A `status` (or unnamed) event carries the job resource as JSON, a `missing` one an unknown job's id;
 * other events are not ours.
 */
export function readEventData(event: ServerSentEvent): EventData {
  const missing = event.event === 'missing';
  if (event.event !== 'status' && event.event !== 'message' && !missing) return { kind: 'ignored' };
  try {
    return { kind: 'json', json: JSON.parse(event.data) as unknown, missing };
  } catch {
    return { kind: 'problem', problem: 'an event carried data that is not JSON' };
  }
}
