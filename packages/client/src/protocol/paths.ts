/** The protocol's paths, resolved under the client's base URL (which always ends in `/`). */

/** `path` resolved against `base`, with the `query` parameters that are not undefined set on it. */
export function urlOf(path: string, base: string, query: Record<string, string | undefined> = {}): string {
  const url = new URL(path, base);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  return url.href;
}

/** A job's status: `jobs/:id`, or the classic `status` (the server's default job) without an id. */
export function statusUrl(baseUrl: string, jobId: string | undefined): string {
  return urlOf(jobId === undefined ? 'status' : `jobs/${encodeURIComponent(jobId)}`, baseUrl);
}

/** The conventional event stream of a job (`jobs/:id/events`), when the server has not advertised one. */
export function eventsUrl(baseUrl: string, jobId: string): string {
  return `${statusUrl(baseUrl, jobId)}/events`;
}

/** `POST jobs` creates a job. */
export function jobsUrl(baseUrl: string): string {
  return urlOf('jobs', baseUrl);
}

/** `GET jobs?ids=a,b`: many jobs' statuses in one answer. */
export function batchUrl(baseUrl: string, ids: readonly string[]): string {
  return urlOf('jobs', baseUrl, { ids: ids.join(',') });
}

/** A created job's URL: its `Location` header (maybe relative), else the conventional path. */
export function createdJobUrl(baseUrl: string, location: string | null, jobId: string): string {
  return location === null ? statusUrl(baseUrl, jobId) : urlOf(location, baseUrl);
}
