/**
 * GET /status?job_id= under load: our server against a plain Fastify app and a bare node:http server
 * answering the same JSON, each in its own process, with the same autocannon settings. A second bare
 * server also sends the protocol headers our server sent (ETag, hints, Link, capabilities, security
 * headers), to tell what those headers cost on the wire (in both processes) from what our server's own
 * work costs; the target is against the plain bare server. All servers stay up, are warmed first, then
 * measured in alternating rounds, so a busy neighbour on a shared machine or the JIT's warm-up does not
 * land on one server only; each row is its median round.
 */
import autocannon from 'autocannon';
import { createJobs } from '../e2e/jobs.js';
import { spawnChild, spawnServer } from '../e2e/server-process.js';
import type { ServerHandle } from '../e2e/server-process.js';

export interface LoadSettings {
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
}

export interface LoadResult {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly total: number;
  /** Errors, timeouts and non-2xx answers: should be 0. */
  readonly bad: number;
  /** Requests per second of every round, in order. */
  readonly rounds: readonly number[];
}

export type Round = Omit<LoadResult, 'rounds'>;

export async function load(
  name: string,
  url: string,
  connections: number,
  durationS: number,
): Promise<Round> {
  const result = await autocannon({ url, connections, duration: durationS });
  return {
    name,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    bad: result.errors + result.timeouts + result.non2xx,
  };
}

export function median(rounds: readonly Round[]): LoadResult {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)] as Round;
  return {
    ...middle,
    bad: rounds.reduce((sum, r) => sum + r.bad, 0),
    rounds: rounds.map((r) => r.requestsPerSecond),
  };
}

export interface ThroughputResult {
  readonly ours: LoadResult;
  readonly fastify: LoadResult;
  readonly bare: LoadResult;
  /** The bare server sending our protocol headers too. */
  readonly bareWithHeaders: LoadResult;
}

/** Headers every server sends anyway (or sets per answer itself), left out of the copied set. */
const NOT_COPIED = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'content-type',
  'cache-control',
]);

export async function measureThroughput(settings: LoadSettings): Promise<ThroughputResult> {
  const servers: ServerHandle[] = [];
  try {
    const ours = await spawnServer({ logLevel: 'silent' });
    servers.push(ours);
    // A pending job an hour long, so every answer carries a fresh ETA and poll hints.
    const [id] = await createJobs(ours.url, [3_600_000]);
    const oursUrl = `${ours.url}/status?job_id=${id ?? ''}`;
    const sample = await fetch(oursUrl);
    const headers = Object.fromEntries([...sample.headers].filter(([name]) => !NOT_COPIED.has(name)));
    const body: unknown = await sample.json();
    const plain = await spawnChild('../server/fastify-child.js', { body });
    servers.push(plain);
    const bare = await spawnChild('../server/bare-child.js', { body });
    servers.push(bare);
    const bareHeaders = await spawnChild('../server/bare-child.js', { body, headers });
    servers.push(bareHeaders);
    const targets = [
      { name: 'ours (Fastify, log level silent)', url: oursUrl },
      { name: 'plain Fastify, same body', url: `${plain.url}/status?job_id=x` },
      { name: 'bare node:http', url: `${bare.url}/status?job_id=x` },
      { name: 'bare node:http + our headers', url: `${bareHeaders.url}/status?job_id=x` },
    ];
    for (const t of targets) await load(t.name, t.url, settings.connections, settings.warmupS);
    const rounds: Round[][] = targets.map(() => []);
    for (let round = 0; round < settings.rounds; round++) {
      for (const [i, t] of targets.entries()) {
        rounds[i]?.push(await load(t.name, t.url, settings.connections, settings.durationS));
      }
    }
    const [o, f, b, h] = rounds.map(median);
    if (o === undefined || f === undefined || b === undefined || h === undefined) {
      throw new Error('no rounds were run');
    }
    return { ours: o, fastify: f, bare: b, bareWithHeaders: h };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}
