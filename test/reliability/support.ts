/**
 * Shared helpers of the reliability suites: a backend with planned jobs, outcome classification,
 * unhandled-rejection counting and a leak check on the process's active handles.
 */
import type { RunningServer } from '@translation-status/server';
import { createRandom, startServer } from '@translation-status/server';
import { JobFailedError, WaitTimeoutError } from '@translation-status/client';
import type { BuildAppOptions } from '@translation-status/server';

export interface PlannedJob {
  readonly id: string;
  readonly outcome: 'completed' | 'error';
  readonly durationMs: number;
}

/** A real server on loopback with limits raised so the tests, not the caps, decide the load. */
export async function startBackend(options: BuildAppOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    logLevel: 'silent',
    delayMs: 60_000,
    maxWaitSeconds: 2,
    heartbeatMs: 1000,
    maxHeldRequests: 1_000_000,
    maxHeldPerClient: 1_000_000,
    ...options,
  });
}

export interface JobPlan {
  readonly seed?: number;
  readonly minMs?: number;
  readonly maxMs?: number;
  readonly errorShare?: number;
}

/**
 * A function that creates one job straight in the store per call, each drawn from the same seeded
 * plan: durations in [minMs, maxMs), `errorShare` of them failing.
 */
export function jobMaker(
  server: RunningServer,
  { seed = 7, minMs = 500, maxMs = 3000, errorShare = 0.2 }: JobPlan = {},
): () => Promise<PlannedJob> {
  const random = createRandom(seed);
  return async () => {
    const durationMs = Math.round(minMs + random() * (maxMs - minMs));
    const outcome = random() < errorShare ? ('error' as const) : ('completed' as const);
    const job = await server.store.create({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 30,
      lipSync: false,
      simulate: { durationMs, outcome },
    });
    return { id: job.id, outcome, durationMs };
  };
}

/** Creates `count` jobs at once (see jobMaker). */
export async function planJobs(
  server: RunningServer,
  count: number,
  plan: JobPlan = {},
): Promise<PlannedJob[]> {
  const make = jobMaker(server, plan);
  return Promise.all(Array.from({ length: count }, make));
}

export type Outcome = 'completed' | 'error' | 'timeout' | `other:${string}`;

export interface WaitRecord {
  readonly job: PlannedJob;
  readonly timeoutMs: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: Outcome;
}

/** Runs one wait and records how and when it ended; never rejects. */
export async function recordWait(
  job: PlannedJob,
  timeoutMs: number,
  wait: () => Promise<unknown>,
): Promise<WaitRecord> {
  const startedAt = Date.now();
  let outcome: Outcome;
  try {
    await wait();
    outcome = 'completed';
  } catch (error) {
    outcome = outcomeOf(error);
  }
  return { job, timeoutMs, startedAt, endedAt: Date.now(), outcome };
}

/** How a wait that rejected with `error` ended. */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof JobFailedError) return 'error';
  if (error instanceof WaitTimeoutError) return 'timeout';
  return `other:${(error as { code?: string }).code ?? String(error)}`;
}

/** Tally of outcomes, for the report. */
export function tally(records: readonly WaitRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[r.outcome] = (out[r.outcome] ?? 0) + 1;
  return out;
}

/** Counts unhandled rejections while installed. */
export function countUnhandledRejections(): { readonly count: () => number; readonly stop: () => void } {
  let count = 0;
  const listener = (): void => {
    count += 1;
  };
  process.on('unhandledRejection', listener);
  return { count: () => count, stop: () => process.off('unhandledRejection', listener) };
}

function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** Handles of each kind present now, to compare against after the test. */
export function snapshotResources(): Map<string, number> {
  return resourceCounts();
}

/**
 * The kinds of handle that outnumber the snapshot, after giving closing sockets and timers up to
 * `withinMs` to go (they close asynchronously). Empty when nothing was left behind.
 */
export async function leftoverResources(
  before: ReadonlyMap<string, number>,
  withinMs = 3000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const extra: Record<string, number> = {};
    for (const [name, n] of resourceCounts()) {
      // The poll's own timer is a Timeout; allow exactly one of those.
      const allowed = (before.get(name) ?? 0) + (name === 'Timeout' ? 1 : 0);
      if (n > allowed) extra[name] = n - allowed;
    }
    if (Object.keys(extra).length === 0 || Date.now() > deadline) return extra;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
