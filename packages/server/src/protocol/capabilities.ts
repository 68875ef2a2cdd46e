/**
 * What a server announces it can do: `Status-Capabilities` and the `Link` to a job's event stream.
 */
import type { ServerSettings } from '../settings/settings.js';
import { MAX_BATCH_IDS } from './schemas.js';

/** `Status-Capabilities` value, or undefined when the server offers none of the features. */
export function capabilitiesHeader(settings: ServerSettings): string | undefined {
  const parts: string[] = [];
  if (settings.longPoll) {
    // Holds that wake only on the ending (`wake=result`) may be longer: see the settings table.
    parts.push(
      `long-poll; max-wait=${settings.maxWaitSeconds}; max-result-wait=${settings.maxResultWaitSeconds}`,
    );
  }
  // The heartbeat interval lets a client tell a stalled stream from a quiet one.
  if (settings.events) parts.push(`events; heartbeat-ms=${settings.heartbeatMs}`);
  if (settings.batch) parts.push('batch');
  // One stream for many jobs: GET /events?ids= (up to the batch limit).
  if (settings.events && settings.multiEvents) parts.push(`multi-events; max-ids=${MAX_BATCH_IDS}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** The `Link` header naming a job's event stream. */
export function eventsLink(id: string): string {
  return `</jobs/${encodeURIComponent(id)}/events>; rel="events"; type="text/event-stream"`;
}
