/**
 * GET /status?job_id= under load: our server against a bare node:http server answering the same JSON,
 * each in its own process, with the same autocannon settings.
 */
import autocannon from 'autocannon';
import { createJobs } from '../e2e/jobs.js';
import { spawnChild, spawnServer } from '../e2e/server-process.js';

export interface LoadSettings {
  readonly connections: number;
  readonly durationS: number;
}

export interface LoadResult {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly total: number;
  /** Errors, timeouts and non-2xx answers: should be 0. */
  readonly bad: number;
}

async function load(name: string, url: string, settings: LoadSettings): Promise<LoadResult> {
  const result = await autocannon({ url, connections: settings.connections, duration: settings.durationS });
  return {
    name,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    bad: result.errors + result.timeouts + result.non2xx,
  };
}

/** Ours first, then the bare server fed the very body ours answered. */
export async function measureThroughput(
  settings: LoadSettings,
): Promise<{ ours: LoadResult; bare: LoadResult }> {
  const server = await spawnServer({ logLevel: 'silent' });
  let body: unknown;
  let ours: LoadResult;
  try {
    // A pending job an hour long, so every answer carries a fresh ETA and poll hints.
    const [id] = await createJobs(server.url, [3_600_000]);
    const url = `${server.url}/status?job_id=${id ?? ''}`;
    body = await (await fetch(url)).json();
    ours = await load('ours (Fastify, log level silent)', url, settings);
  } finally {
    await server.close();
  }
  const bare = await spawnChild('../server/bare-child.js', { body });
  try {
    return { ours, bare: await load('bare node:http', `${bare.url}/status?job_id=x`, settings) };
  } finally {
    await bare.close();
  }
}
