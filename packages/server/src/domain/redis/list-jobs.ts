/**
 * Listing jobs and counting them by result, over every instance's jobs: the `created` sorted set
 * (newest first) and the two sets of endings, scored by when each job ends.
 */
import type { JobResource } from '../../protocol/job-resource.js';
import type { JobResult } from '../plan.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';
import { COUNT } from './scripts.js';

/** Jobs read per round trip while listing. */
const LIST_PAGE = 100;

/** The newest jobs first, `result` only when given, at most `limit`; `getMany` reads a page of ids. */
export async function listJobs(
  connection: RedisConnection,
  keys: RedisKeys,
  getMany: (ids: readonly string[]) => Promise<(JobResource | undefined)[]>,
  options: { result?: JobResult; limit?: number },
): Promise<JobResource[]> {
  const limit = options.limit ?? Infinity;
  const found: JobResource[] = [];
  for (let offset = 0; found.length < limit; offset += LIST_PAGE) {
    const members = (await connection.send([
      'ZRANGE',
      keys.created,
      '+inf',
      '-inf',
      'BYSCORE',
      'REV',
      'LIMIT',
      String(offset),
      String(LIST_PAGE),
    ])) as string[];
    // A member is `sequence:id`.
    const ids = members.map((member) => member.slice(member.indexOf(':') + 1));
    for (const job of await getMany(ids)) {
      if (job !== undefined && (options.result === undefined || job.result === options.result))
        found.push(job);
    }
    if (ids.length < LIST_PAGE) break;
  }
  return found.slice(0, limit);
}

/** Jobs kept, by result: ended (within the retention) and still pending, by Redis's clock. */
export async function countJobsByResult(
  connection: RedisConnection,
  keys: RedisKeys,
  retentionMs: number,
): Promise<Record<JobResult, number>> {
  const reply = (await connection.run(
    COUNT,
    [keys.endsCompleted, keys.endsError],
    [String(retentionMs)],
  )) as number[];
  return { completed: Number(reply[0]), error: Number(reply[1]), pending: Number(reply[2]) };
}
