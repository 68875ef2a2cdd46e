/**
 * Creating the benchmark's jobs over HTTP, with durations drawn from a seeded generator.
 */
import { seededRandom } from '../policy/random.js';
import type { ServerHandle } from './server-process.js';

export interface DurationRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/** `count` whole-millisecond durations drawn uniformly from [minMs, maxMs]. */
export function uniformDurations(count: number, range: DurationRange, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Math.round(range.minMs + (range.maxMs - range.minMs) * random()),
  );
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of the results. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `POST /jobs` of one job lasting `durationMs` (`simulate.duration_ms`, outcome completed); its id. */
async function createJob(baseUrl: string, durationMs: number, lipSync: boolean): Promise<string> {
  const response = await fetch(new URL('/jobs', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source_language: 'en',
      target_language: 'es',
      video_duration_seconds: 60,
      lip_sync: lipSync,
      simulate: { duration_ms: durationMs, outcome: 'completed' },
    }),
  });
  const body = (await response.json()) as { id?: unknown };
  if (response.status !== 201 || typeof body.id !== 'string') {
    throw new Error(`POST /jobs answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return body.id;
}

/** Creates one job per duration (counted from its own creation); resolves to their ids. */
export function createJobs(baseUrl: string, durationsMs: readonly number[], options = { lipSync: false }) {
  return mapLimited(durationsMs, 50, (durationMs) => createJob(baseUrl, durationMs, options.lipSync));
}

/**
 * Creates one job per entry of `endsAfterMs`, each ending that long after creation began, whenever it is
 * itself created: creating 10,000 jobs takes from seconds to tens of seconds on a busy machine, and jobs
 * timed from their own creation would end before anyone waited on the first of them. Straight in the
 * store of a server that can (`createJobsEndingAt`), else over `POST /jobs`. Resolves to the ids and the
 * moment creation began (`Date.now()`); a job created after its end is given a duration of 0.
 */
export async function createJobsEndingAt(
  server: ServerHandle,
  endsAfterMs: readonly number[],
): Promise<{ ids: string[]; anchorMs: number }> {
  const anchorMs = Date.now();
  const ids =
    server.createJobsEndingAt === undefined
      ? await mapLimited(endsAfterMs, 50, (endsAfter) =>
          createJob(server.url, Math.max(0, Math.round(anchorMs + endsAfter - Date.now())), false),
        )
      : await server.createJobsEndingAt(endsAfterMs.map((endsAfter) => anchorMs + endsAfter));
  return { ids, anchorMs };
}
