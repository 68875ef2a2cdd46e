/** The protocol's paths, resolved under the client's base URL (which always ends in `/`). */

/** A job's status: `jobs/:id`, or the classic `status` (the server's default job) without an id. */
export function statusUrl(baseUrl: string, jobId: string | undefined): string {
  return new URL(jobId === undefined ? 'status' : `jobs/${encodeURIComponent(jobId)}`, baseUrl).href;
}

/** The conventional event stream of a job, when the server has not advertised one. */
export function eventsUrl(baseUrl: string, jobId: string): string {
  return new URL(`jobs/${encodeURIComponent(jobId)}/events`, baseUrl).href;
}
