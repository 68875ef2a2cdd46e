/**
 * The multiplexed event stream, `GET /events?ids=a,b,c`: its URL, its resume point and its `missing`
 * event. Status events carry the job resource as the single-job stream's do (see `http/event-stream.ts`).
 */
import { urlOf } from './paths.js';
import { stringField } from './status.js';

/** The most ids one stream takes when the server announces no `max-ids`. */
export const DEFAULT_MULTI_MAX_IDS = 100;

/** The stream of `ids`; `wakeOnResult` leaves out the stage changes between the first state and the end. */
export function multiEventsUrl(baseUrl: string, ids: readonly string[], wakeOnResult: boolean): string {
  return urlOf('events', baseUrl, { ids: ids.join(','), wake: wakeOnResult ? 'result' : undefined });
}

/**
 * The `Last-Event-ID` that resumes every job at once: the version already known of each id, in the order
 * of `ids` (0 for a job not seen yet, whose state then comes first). None when nothing is known yet.
 */
export function resumePoint(versions: readonly (number | undefined)[]): string | undefined {
  return versions.some((v) => v !== undefined) ? versions.map((v) => v ?? 0).join(',') : undefined;
}

export interface MissingJob {
  readonly id: string;
  readonly code: string;
  readonly message: string | undefined;
}

/** A `missing` event's data: `{"id": "...", "error": {"code": "job_not_found", "message": "..."}}`. */
export function readMissing(json: unknown): MissingJob | undefined {
  const id = stringField(json, 'id');
  if (id === undefined) return undefined;
  const error = (json as Record<string, unknown>)['error']; // a record: it has an id
  return {
    id,
    code: stringField(error, 'code') ?? 'job_not_found',
    message: stringField(error, 'message'),
  };
}
