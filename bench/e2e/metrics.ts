/**
 * Server-side request counts, read from the server's own Prometheus counter, so the benchmark does not
 * have to trust the client's bookkeeping.
 */

export const REQUEST_COUNTER = 'translation_status_http_requests_total';

/** The routes a waiter uses; job creation (POST /jobs) and /metrics itself are left out. */
const WAIT_ROUTES = new Set(['/status', '/jobs/:id', '/jobs', '/jobs/:id/events', '/events']);

/** Sums the counter over GET and HEAD requests on the wait routes, whatever their status code. */
export function countWaitRequests(prometheusText: string): number {
  let total = 0;
  for (const line of prometheusText.split('\n')) {
    if (!line.startsWith(`${REQUEST_COUNTER}{`)) continue;
    const route = /route="([^"]*)"/.exec(line)?.[1];
    const method = /method="([^"]*)"/.exec(line)?.[1];
    if (route === undefined || !WAIT_ROUTES.has(route) || (method !== 'GET' && method !== 'HEAD')) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export async function serverWaitRequests(baseUrl: string): Promise<number> {
  const response = await fetch(new URL('/metrics', baseUrl));
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return countWaitRequests(await response.text());
}
