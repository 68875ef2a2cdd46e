/**
 * The benchmark's core: generate the trace, replay every strategy, summarise. Runs in-process, or
 * spread over worker threads by job (the samples, and so the results, are the same either way).
 */
import { Worker } from 'node:worker_threads';
import { replayTrace } from './replay.js';
import type { JobSample } from './replay.js';
import type { WorkerInput, WorkerOutput } from './replay-worker.js';
import { summarize } from './stats.js';
import type { StrategySummary } from './stats.js';
import type { StrategySpec } from './strategies/types.js';
import { generateTrace } from './trace.js';
import type { TraceParams } from './trace.js';

export interface StrategyResult {
  readonly summary: StrategySummary;
  readonly samples: readonly JobSample[];
}

export async function runPolicyBenchmark(
  params: TraceParams,
  specs: readonly StrategySpec[],
  onResult: (result: StrategyResult) => void = () => undefined,
): Promise<StrategyResult[]> {
  const trace = generateTrace(params);
  const results: StrategyResult[] = [];
  for (const spec of specs) {
    const samples = await replayTrace(spec, trace);
    const result = { summary: summarize(spec.name, samples), samples };
    onResult(result);
    results.push(result);
  }
  return results;
}

/** Same as runPolicyBenchmark, over `workers` threads running the compiled replay-worker.js. */
export async function runPolicyBenchmarkInWorkers(
  params: TraceParams,
  names: readonly string[],
  workers: number,
  onResult: (result: StrategyResult) => void = () => undefined,
): Promise<StrategyResult[]> {
  const collected = new Map<string, { samples: JobSample[]; reports: number }>(
    names.map((name) => [name, { samples: new Array<JobSample>(params.jobs), reports: 0 }]),
  );
  const results = new Map<string, StrategyResult>();
  const workerUrl = new URL('./replay-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: workers }, (_, index) => {
      const workerData: WorkerInput = { params, names, index, workers };
      const worker = new Worker(workerUrl, { workerData });
      return new Promise<void>((resolve, reject) => {
        worker.on('message', (output: WorkerOutput) => {
          const entry = collected.get(output.name);
          if (entry === undefined) return;
          for (const [i, sample] of output.samples) entry.samples[i] = sample;
          if (++entry.reports === workers) {
            const result = { summary: summarize(output.name, entry.samples), samples: entry.samples };
            results.set(output.name, result);
            onResult(result);
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code === 0) resolve();
          else reject(new Error(`replay worker ${index} exited with code ${code}`));
        });
      });
    }),
  );
  return names.map((name) => {
    const result = results.get(name);
    if (result === undefined) throw new Error(`no result for '${name}'`);
    return result;
  });
}
