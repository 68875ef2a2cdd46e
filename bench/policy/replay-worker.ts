/**
 * Worker thread: replays every `workers`-th job of the trace (starting at `index`) for each named
 * strategy and posts the samples back tagged with their job index, so the merged result does not
 * depend on how many workers ran.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { replayJob } from './replay.js';
import type { JobSample } from './replay.js';
import { allSpecs } from './specs.js';
import { generateTrace } from './trace.js';
import type { TraceParams } from './trace.js';

export interface WorkerInput {
  readonly params: TraceParams;
  readonly names: readonly string[];
  readonly index: number;
  readonly workers: number;
}

export interface WorkerOutput {
  readonly name: string;
  readonly samples: readonly (readonly [number, JobSample])[];
}

const input = workerData as WorkerInput;
const { specs } = await allSpecs();
const trace = generateTrace(input.params);
for (const name of input.names) {
  const spec = specs.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`worker: unknown strategy '${name}'`);
  const samples: [number, JobSample][] = [];
  for (let i = input.index; i < trace.length; i += input.workers) {
    const job = trace[i];
    if (job !== undefined) samples.push([i, await replayJob(spec, job)]);
  }
  const output: WorkerOutput = { name, samples };
  parentPort?.postMessage(output);
}
