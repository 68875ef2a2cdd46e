/**
 * One client process waiting on 10,000 jobs: how many requests per second it sends and what it costs in
 * memory, through `waitForAll` (batched) and through one `waitForCompletion` per job (auto transport).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createJobs } from '../e2e/jobs.js';
import { serverWaitRequests } from '../e2e/metrics.js';
import { spawnServer } from '../e2e/server-process.js';
import type { ClientScaleMode, ClientScaleReport, ClientScaleRequest } from './client-child.js';

export interface ClientScaleSettings {
  readonly jobs: number;
  /** Job durations, counted from creation, are spread evenly over [minMs, maxMs]. */
  readonly minMs: number;
  readonly maxMs: number;
}

export interface ClientScaleResult extends Omit<ClientScaleReport, 'type'> {
  readonly mode: ClientScaleMode;
  readonly jobs: number;
  readonly serverRequests: number;
}

function runClient(request: ClientScaleRequest): Promise<ClientScaleReport> {
  const path = fileURLToPath(new URL('./client-child.js', import.meta.url));
  const child = fork(path, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
    const step = settings.jobs > 1 ? (settings.maxMs - settings.minMs) / (settings.jobs - 1) : 0;
    const ids = await createJobs(
      server.url,
      Array.from({ length: settings.jobs }, (_, i) => Math.round(settings.minMs + i * step)),
    );
    const before = await serverWaitRequests(server.url);
    const report = await runClient({ url: server.url, ids, mode, timeoutMs: settings.maxMs + 120_000 });
    const { type: _type, ...rest } = report;
    return {
      mode,
      jobs: settings.jobs,
      serverRequests: (await serverWaitRequests(server.url)) - before,
      ...rest,
    };
  } finally {
    await server.close();
  }
}
