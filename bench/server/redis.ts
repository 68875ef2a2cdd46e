/**
 * The Redis store: GET /status?job_id= throughput of one instance and of two on one Redis against the
 * in-memory store (same autocannon settings, rounds alternating), and held waits across two instances:
 * jobs created through one, every waiter held on the other, woken by what Redis says.
 */
import { RedisServer } from '../../packages/server/src/test-support/redis-server.js';
import { createJobs } from '../e2e/jobs.js';
import type { ServerHandle } from '../e2e/server-process.js';
import { spawnServer } from '../e2e/server-process.js';
import type { HeldKind, HeldResult, HeldSettings } from './held.js';
import { heldCaps, measureHeld } from './held.js';
import type { LoadResult, LoadSettings, Round } from './throughput.js';
import { load, median } from './throughput.js';

export interface RedisThroughputResult {
  readonly memory: LoadResult;
  readonly redisOne: LoadResult;
  /** Both instances loaded at once, half the connections each: requests/s summed, latency the worse. */
  readonly redisTwo: LoadResult;
}

async function loadBoth(name: string, urls: readonly string[], connections: number, durationS: number) {
  const rounds = await Promise.all(urls.map((url) => load(name, url, connections / urls.length, durationS)));
  const none: Round = { name, requestsPerSecond: 0, latencyP50Ms: 0, latencyP99Ms: 0, total: 0, bad: 0 };
  return rounds.reduce<Round>(
    (sum, r) => ({
      name,
      requestsPerSecond: sum.requestsPerSecond + r.requestsPerSecond,
      latencyP50Ms: Math.max(sum.latencyP50Ms, r.latencyP50Ms),
      latencyP99Ms: Math.max(sum.latencyP99Ms, r.latencyP99Ms),
      total: sum.total + r.total,
      bad: sum.bad + r.bad,
    }),
    none,
  );
}

export async function measureRedisThroughput(settings: LoadSettings): Promise<RedisThroughputResult> {
  const redis = await RedisServer.start({ persistence: true });
  const servers: ServerHandle[] = [];
  try {
    const spawn = async (options: object): Promise<ServerHandle> => {
      const server = await spawnServer({ logLevel: 'silent', ...options });
      servers.push(server);
      return server;
    };
    const memory = await spawn({});
    const one = await spawn({ storeUrl: redis.url });
    const two = [await spawn({ storeUrl: redis.url }), await spawn({ storeUrl: redis.url })];
    // A pending job an hour long, so every answer carries a fresh ETA and poll hints.
    const [memoryJob] = await createJobs(memory.url, [3_600_000]);
    const [redisJob] = await createJobs(one.url, [3_600_000]);
    const path = (id: string | undefined): string => `/status?job_id=${id ?? ''}`;
    const targets = [
      { name: 'in-memory store, one instance', urls: [`${memory.url}${path(memoryJob)}`] },
      { name: 'Redis store, one instance', urls: [`${one.url}${path(redisJob)}`] },
      { name: 'Redis store, two instances', urls: two.map((s) => `${s.url}${path(redisJob)}`) },
    ];
    for (const t of targets) await loadBoth(t.name, t.urls, settings.connections, settings.warmupS);
    const rounds: Round[][] = targets.map(() => []);
    for (let round = 0; round < settings.rounds; round++) {
      for (const [i, t] of targets.entries()) {
        rounds[i]?.push(await loadBoth(t.name, t.urls, settings.connections, settings.durationS));
      }
    }
    const [m, r1, r2] = rounds.map(median);
    if (m === undefined || r1 === undefined || r2 === undefined) throw new Error('no rounds were run');
    return { memory: m, redisOne: r1, redisTwo: r2 };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    await redis.close();
  }
}

/** Held waits on the second of two instances on one Redis, for jobs created through the first. */
export async function measureHeldAcross(kind: HeldKind, settings: HeldSettings): Promise<HeldResult> {
  const redis = await RedisServer.start({ persistence: true });
  const options = { logLevel: 'silent', storeUrl: redis.url, ...heldCaps(settings) };
  const servers = [await spawnServer(options), await spawnServer(options)] as const;
  try {
    return await measureHeld(kind, settings, servers);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    await redis.close();
  }
}
