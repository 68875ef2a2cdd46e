/** The protocol's paths, resolved under the client's base URL (which always ends in `/`). */

/** A job's status: `jobs/:id`, or the classic `status` (the server's default job) without an id. */
export function statusUrl(baseUrl: string, jobId: string | undefined): string {
  return new URL(jobId === undefined ? 'status' : `jobs/${encodeURIComponent(jobId)}`, baseUrl).href;
}

/** The conventional event stream of a job, when the server has not advertised one. */
export function eventsUrl(baseUrl: string, jobId: string): string {
  return new URL(`jobs/${encodeURIComponent(jobId)}/events`, baseUrl).href;
}

/** `POST jobs` creates a job. */
export function jobsUrl(baseUrl: string): string {
  return new URL('jobs', baseUrl).href;
}

/** `GET jobs?ids=a,b`: many jobs' statuses in one answer. */
export function batchUrl(baseUrl: string, ids: readonly string[]): string {
  const url = new URL('jobs', baseUrl);
  url.searchParams.set('ids', ids.join(','));
  return url.href;
}

/** A created job's URL: its `Location` header (maybe relative), else the conventional path. */
export function createdJobUrl(baseUrl: string, location: string | null, jobId: string): string {
  return location === null ? statusUrl(baseUrl, jobId) : new URL(location, baseUrl).href;
}
