/** The numbers at the end of the demo: pure, so the arithmetic is tested on its own. */

/** Requests a client polling once a second makes for a job of this length: one per second, plus the first. */
export function naivePollerRequests(durationMs: number): number {
  return Math.ceil(Math.max(0, durationMs) / 1000) + 1;
}

/** How long the server took: `completed_at − created_at` from a terminal job resource. */
export function jobDurationMs(body: Readonly<Record<string, unknown>>): number | undefined {
  const created = typeof body['created_at'] === 'string' ? Date.parse(body['created_at']) : NaN;
  const ended = typeof body['completed_at'] === 'string' ? Date.parse(body['completed_at']) : NaN;
  return Number.isFinite(created) && Number.isFinite(ended) ? ended - created : undefined;
}

/**
 * Each job's time and the total on one clock, from the demo's start: a job took until the client saw it
 * end, and the total is until the last one ended, so no job ever took longer than the whole.
 */
export function demoTimes(
  startedAt: number,
  endedAt: readonly (number | undefined)[],
  finishedAt: number,
): { readonly tookMs: readonly number[]; readonly elapsedMs: number } {
  const tookMs = endedAt.map((at) => Math.max(0, (at ?? finishedAt) - startedAt));
  return { tookMs, elapsedMs: Math.max(0, ...tookMs) };
}
