/**
 * One client process waiting on 10,000 jobs: how many requests per second it sends and what it costs in
 * memory, through `waitForAll` (batched) and through one `waitForCompletion` per job (auto transport).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createJobsEndingAt } from '../e2e/jobs.js';
import { serverWaitRequests } from '../e2e/metrics.js';
import { spawnServer } from '../e2e/server-process.js';
import type { ClientScaleMode, ClientScaleReport, ClientScaleRequest } from './client-child.js';

/** How many jobs, and when they end: evenly over `spreadMs`, the first `firstEndMs` after creation began. */
export interface JobEnds {
  readonly jobs: number;
  /** Long enough for every job to be created and every wait to begin before the first ends. */
  readonly firstEndMs: number;
  readonly spreadMs: number;
}

/** The moments, after creation began, at which each of `ends.jobs` jobs ends. */
export function endsAfter(ends: JobEnds): number[] {
  const step = ends.jobs > 1 ? ends.spreadMs / (ends.jobs - 1) : 0;
  return Array.from({ length: ends.jobs }, (_, i) => Math.round(ends.firstEndMs + i * step));
}

export type ClientScaleSettings = JobEnds;

export interface ClientScaleResult extends Omit<ClientScaleReport, 'type' | 'startedAtMs'> {
  readonly mode: ClientScaleMode;
  readonly jobs: number;
  readonly serverRequests: number;
  /** How long creating the jobs took. */
  readonly createMs: number;
  /** From the moment the waits began to the first job's end (negative: some ended before anyone waited). */
  readonly leadMs: number;
}

function runClient(request: ClientScaleRequest): Promise<ClientScaleReport> {
  const path = fileURLToPath(new URL('./client-child.js', import.meta.url));
  const child = fork(path, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
  child.send(request);
  return new Promise((resolve, reject) => {
    child.once('message', (message: ClientScaleReport) => {
      resolve(message);
    });
    child.once('exit', (code) => {
      reject(new Error(`client-child exited with code ${String(code)} without a report`));
    });
  });
}

export async function measureClientScale(
  mode: ClientScaleMode,
  settings: ClientScaleSettings,
): Promise<ClientScaleResult> {
  const cap = Math.max(10_000, 4 * settings.jobs);
  const server = await spawnServer({ logLevel: 'silent', maxHeldRequests: cap, maxHeldPerClient: cap });
  try {
    const { ids, anchorMs } = await createJobsEndingAt(server, endsAfter(settings));
    const createMs = Date.now() - anchorMs;
    const before = await serverWaitRequests(server.url);
    const report = await runClient({
      url: server.url,
      ids,
      mode,
      timeoutMs: settings.firstEndMs + settings.spreadMs + 120_000,
      firstEndAtMs: anchorMs + settings.firstEndMs,
    });
    const { type: _type, startedAtMs, ...rest } = report;
    return {
      mode,
      jobs: settings.jobs,
      serverRequests: (await serverWaitRequests(server.url)) - before,
      createMs,
      leadMs: anchorMs + settings.firstEndMs - startedAtMs,
      ...rest,
    };
  } finally {
    await server.close();
  }
}
