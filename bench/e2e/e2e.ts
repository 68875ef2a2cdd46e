/**
 * The end-to-end core: for each waiter, a fresh server, the same jobs, every job waited on at once,
 * requests counted on both sides and detection delay measured against the server's completion time.
 */
import { mean, percentile } from '../policy/stats.js';
import { createJobs, uniformDurations } from './jobs.js';
import type { DurationRange } from './jobs.js';
import { serverWaitRequests } from './metrics.js';
import type { ServerHandle } from './server-process.js';
import { countingFetch } from './waiters.js';
import type { JobSample, Waiter } from './waiters.js';

export interface E2EParams extends DurationRange {
  readonly jobs: number;
  readonly seed: number;
}

export const FULL_E2E: E2EParams = { jobs: 500, minMs: 3_000, maxMs: 30_000, seed: 20261123 };
export const QUICK_E2E: E2EParams = { jobs: 50, minMs: 1_000, maxMs: 3_000, seed: 20261123 };

export interface PhaseResult {
  readonly name: string;
  readonly jobs: number;
  /** GET/HEAD requests on the wait routes, from the server's counter (delta over the phase). */
  readonly serverRequests: number;
  /** Calls the waiter made through its fetch. */
  readonly clientRequests: number;
  /** Sum of the per-wait request counts the waiter reports, when it reports them per job. */
  readonly reportedRequests: number | undefined;
  readonly delayMeanMs: number;
  readonly delayP95Ms: number;
  readonly delayMaxMs: number;
  /** Negative delays would mean a waiter saw the end before the server recorded it: a clock problem. */
  readonly delayMinMs: number;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  readonly wallMs: number;
}

export function summarizePhase(
  name: string,
  samples: readonly JobSample[],
  counts: { serverRequests: number; clientRequests: number; wallMs: number },
): PhaseResult {
  const delays: number[] = [];
  let failures = 0;
  for (const s of samples) {
    if (s.failure !== undefined || s.completedAtMs === undefined || s.learnedAtMs === undefined) failures++;
    else delays.push(s.learnedAtMs - s.completedAtMs);
  }
  const reported = samples.map((s) => s.reportedRequests);
  return {
    name,
    jobs: samples.length,
    ...counts,
    reportedRequests: reported.every((r) => r !== undefined)
      ? reported.reduce((sum, r) => sum + r, 0)
      : undefined,
    delayMeanMs: mean(delays),
    delayP95Ms: percentile(delays, 95),
    delayMaxMs: delays.length === 0 ? NaN : Math.max(...delays),
    delayMinMs: delays.length === 0 ? NaN : Math.min(...delays),
    failures,
    firstFailure: samples.find((s) => s.failure !== undefined)?.failure,
  };
}

/**
 * One phase: a fresh server from `start` (with the waiter's own options), the jobs created, then every
 * job waited on by `waiter`.
 */
export async function runPhase(
  waiter: Waiter,
  params: E2EParams,
  start: (options: object) => Promise<ServerHandle>,
): Promise<PhaseResult> {
  const server = await start(waiter.serverOptions ?? {});
  try {
    const durations = uniformDurations(params.jobs, params, params.seed);
    const ids = await (waiter.createJobs ?? createJobs)(server.url, durations);
    const before = await serverWaitRequests(server.url);
    const counter = countingFetch();
    const started = performance.now();
    const samples = await waiter.run({
      baseUrl: server.url,
      ids,
      fetch: counter.fetch,
      timeoutMs: params.maxMs + 60_000,
    });
    const wallMs = performance.now() - started;
    const serverRequests = (await serverWaitRequests(server.url)) - before;
    return summarizePhase(waiter.name, samples, { serverRequests, clientRequests: counter.calls(), wallMs });
  } finally {
    await server.close();
  }
}

export async function runE2E(
  params: E2EParams,
  waiters: readonly Waiter[],
  start: (options: object) => Promise<ServerHandle>,
  onPhase: (result: PhaseResult) => void = () => undefined,
): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const waiter of waiters) {
    const result = await runPhase(waiter, params, start);
    onPhase(result);
    results.push(result);
  }
  return results;
}
