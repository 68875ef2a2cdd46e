/**
 * Creating the benchmark's jobs over HTTP, with durations drawn from a seeded generator.
 */
import { seededRandom } from '../policy/random.js';

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

/** Creates one job per duration (`simulate.duration_ms`, outcome completed); resolves to their ids. */
export function createJobs(baseUrl: string, durationsMs: readonly number[], options = { lipSync: false }) {
  return mapLimited(durationsMs, 50, async (durationMs) => {
    const response = await fetch(new URL('/jobs', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source_language: 'en',
        target_language: 'es',
        video_duration_seconds: 60,
        lip_sync: options.lipSync,
        simulate: { duration_ms: durationMs, outcome: 'completed' },
      }),
    });
    const body = (await response.json()) as { id?: unknown };
    if (response.status !== 201 || typeof body.id !== 'string') {
      throw new Error(`POST /jobs answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
    }
    return body.id;
  });
}
