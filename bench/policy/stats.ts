/**
 * Summary statistics over per-job samples.
 */
import type { JobSample } from './replay.js';

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Nearest-rank percentile (p in (0, 100]) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

export interface StrategySummary {
  readonly name: string;
  readonly jobs: number;
  readonly requestsMean: number;
  readonly requestsP95: number;
  readonly delayMeanMs: number;
  readonly delayP95Ms: number;
  readonly delayMaxMs: number;
  /** Detection delay divided by the job's duration. */
  readonly relativeMean: number;
  readonly relativeP95: number;
  readonly failures: number;
  /** The most common failure message, if any. */
  readonly firstFailure: string | undefined;
  readonly danglingTimers: number;
}

export function summarize(name: string, samples: readonly JobSample[]): StrategySummary {
  const known = samples.filter((s) => s.detectionDelayMs !== undefined);
  const delays = known.map((s) => s.detectionDelayMs ?? 0);
  const relative = known.map((s) => (s.detectionDelayMs ?? 0) / s.durationMs);
  const requests = samples.map((s) => s.requests);
  return {
    name,
    jobs: samples.length,
    requestsMean: mean(requests),
    requestsP95: percentile(requests, 95),
    delayMeanMs: mean(delays),
    delayP95Ms: percentile(delays, 95),
    delayMaxMs: delays.reduce((max, d) => Math.max(max, d), delays.length === 0 ? NaN : -Infinity),
    relativeMean: mean(relative),
    relativeP95: percentile(relative, 95),
    failures: samples.length - known.length,
    firstFailure: samples.find((s) => s.failure !== undefined)?.failure,
    danglingTimers: samples.reduce((sum, s) => sum + s.danglingTimers, 0),
  };
}
