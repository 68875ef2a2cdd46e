/**
 * The page's own reads, beside the client library's waits: the recent-jobs list it starts from and the
 * metrics of the server panel. Same origin; the API key, when there is one, goes in a header only.
 */
import type { JobStatus } from '@translation-status/client';
import { parseBatch } from '@translation-status/client';

/** The server wants a key (none was sent, or it was refused). */
export class KeyRequiredError extends Error {
  readonly keyWasSent: boolean;
  constructor(keyWasSent: boolean, serverMessage: string) {
    super(serverMessage);
    this.name = 'KeyRequiredError';
    this.keyWasSent = keyWasSent;
  }
}

export interface ServerApi {
  /** Newest first; at most `limit`. */
  listJobs(limit: number): Promise<JobStatus[]>;
  /** The Prometheus text of `/metrics`. */
  readMetrics(): Promise<string>;
}

/** Requests this page made itself (not through the client library), for the request counter. */
export interface PageRequestCount {
  pageRequests: number;
}

async function failure(response: Response, what: string, keyWasSent: boolean): Promise<Error> {
  const body = (await response.json().catch(() => undefined)) as
    { error?: { message?: unknown } } | undefined;
  const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
  if (response.status === 401) return new KeyRequiredError(keyWasSent, message);
  return new Error(`${what} failed: ${message}`);
}

export function serverApi(origin: string, apiKey: string | undefined, count: PageRequestCount): ServerApi {
  const headers: Record<string, string> = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
  const get = async (path: string, what: string): Promise<Response> => {
    count.pageRequests++;
    const response = await fetch(new URL(path, origin), { headers, cache: 'no-store' });
    if (!response.ok) throw await failure(response, what, apiKey !== undefined);
    return response;
  };
  return {
    async listJobs(limit) {
      const response = await get(`/jobs?limit=${limit}`, 'Listing jobs');
      const parsed = parseBatch(await response.json());
      if (!parsed.ok) throw new Error(`Listing jobs failed: ${parsed.problem}`);
      return [...parsed.entries.values()].flatMap((entry) => ('status' in entry ? [entry.status] : []));
    },
    async readMetrics() {
      return (await get('/metrics', 'Reading metrics')).text();
    },
  };
}
