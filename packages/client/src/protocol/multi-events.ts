/**
 * The multiplexed event stream, `GET /events?ids=a,b,c`: its URL, its resume point and its `missing`
 * event. Status events carry the job resource as the single-job stream's do (see `events.ts`).
 */
import { isRecord } from './status.js';

/** The most ids one stream takes when the server announces no `max-ids`. */
export const DEFAULT_MULTI_MAX_IDS = 100;

/** The stream of `ids`; `wakeOnResult` leaves out the stage changes between the first state and the end. */
export function multiEventsUrl(baseUrl: string, ids: readonly string[], wakeOnResult: boolean): string {
  const url = new URL('events', baseUrl);
  url.searchParams.set('ids', ids.join(','));
  if (wakeOnResult) url.searchParams.set('wake', 'result');
  return url.href;
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
  if (!isRecord(json) || typeof json['id'] !== 'string') return undefined;
  const error = isRecord(json['error']) ? json['error'] : {};
  return {
    id: json['id'],
    code: typeof error['code'] === 'string' ? error['code'] : 'job_not_found',
    message: typeof error['message'] === 'string' ? error['message'] : undefined,
  };
}
