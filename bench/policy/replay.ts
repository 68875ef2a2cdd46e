/**
 * Replays a trace through one strategy, one job at a time, each on its own virtual clock and server.
 */
import { jobPath, ORIGIN, simulateJob } from './fake-server.js';
import { seededRandom } from './random.js';
import type { StrategySpec } from './strategies/types.js';
import type { TraceJob } from './trace.js';
import { VirtualClock } from './virtual-clock.js';

/** Virtual epoch every job starts at; any fixed instant keeps runs identical. */
export const VIRTUAL_START_MS = Date.UTC(2026, 0, 1);

export interface JobSample {
  readonly durationMs: number;
  readonly requests: number;
  /** From the job's end to the strategy knowing it; undefined when the strategy failed. */
  readonly detectionDelayMs: number | undefined;
  /** Why the strategy did not learn the outcome (gave up, threw, returned early). */
  readonly failure: string | undefined;
  /** Timers still armed once the wait returned: a leak in the strategy. */
  readonly danglingTimers: number;
}

/** A stable 32-bit hash, so each strategy draws its own (but reproducible) random numbers per job. */
function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

export async function replayJob(spec: StrategySpec, job: TraceJob): Promise<JobSample> {
  const clock = new VirtualClock(VIRTUAL_START_MS);
  const server = simulateJob(job, clock, spec.scenario);
  const random = seededRandom(job.seed ^ hashName(spec.name));
  const endsAt = VIRTUAL_START_MS + job.durationMs;
  let failure: string | undefined;
  try {
    const url = `${ORIGIN}${jobPath(spec.scenario, job.id)}`;
    await clock.drive(spec.create(job)(url, { fetch: server.fetch, clock, random }));
    if (clock.now() < endsAt) failure = 'returned before the job ended';
  } catch (error) {
    failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return {
    durationMs: job.durationMs,
    requests: server.requests(),
    detectionDelayMs: failure === undefined ? clock.now() - endsAt : undefined,
    failure,
    danglingTimers: clock.pendingTimers,
  };
}

export async function replayTrace(spec: StrategySpec, trace: readonly TraceJob[]): Promise<JobSample[]> {
  const samples: JobSample[] = [];
  for (const job of trace) samples.push(await replayJob(spec, job));
  return samples;
}
