/**
 * The floor no strategy can beat: an oracle that knows when the job ends and asks exactly once, then.
 * Measured through the same harness as everyone else, so it also checks the harness's accounting.
 */
import { pollOnce } from './poll.js';
import type { TraceJob } from '../trace.js';
import type { Strategy } from './types.js';

export function physicalLimit(job: TraceJob): Strategy {
  return async (jobUrl, { fetch, clock }) => {
    await clock.sleep(job.durationMs);
    if (!(await pollOnce(fetch, jobUrl)).ended) throw new Error('the oracle asked before the job ended');
  };
}
