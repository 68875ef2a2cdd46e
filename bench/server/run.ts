/**
 * `npm run bench:server [-- --quick] [-- --only throughput,held,client,redis]`: GET /status throughput
 * against bare node:http, 10,000 held long-polls and event streams on one server, and one client
 * waiting on 10,000 jobs. A full run rewrites its section of docs/benchmarks.md; a quick run (smaller
 * and shorter) writes .bench-out/server-quick.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineDescription, spliceMarked } from '../e2e/sections.js';
import { measureClientScale } from './client-scale.js';
import type { ClientScaleSettings } from './client-scale.js';
import { measureHeld } from './held.js';
import type { HeldSettings } from './held.js';
import { clientScaleSection, heldSection, throughputSection } from './report.js';
import { measureHeldAcross, measureRedisThroughput } from './redis.js';
import { redisSection } from './redis-report.js';
import { measureThroughput } from './throughput.js';
import type { LoadSettings } from './throughput.js';
import { writeBenchmarkCharts } from '../charts/run.js';

interface Plan {
  readonly load: LoadSettings;
  readonly held: HeldSettings;
  readonly client: ClientScaleSettings;
}

const FULL: Plan = {
  load: { connections: 50, durationS: 10, warmupS: 3, rounds: 3 },
  held: { jobs: 100, waitersPerJob: 100, firstCompletionMs: 15_000, spreadMs: 1_000 },
  client: { jobs: 10_000, minMs: 25_000, maxMs: 40_000 },
};
const QUICK: Plan = {
  load: { connections: 50, durationS: 2, warmupS: 1, rounds: 1 },
  held: { jobs: 10, waitersPerJob: 100, firstCompletionMs: 4_000, spreadMs: 500 },
  client: { jobs: 1_000, minMs: 5_000, maxMs: 10_000 },
};

const PARTS = ['throughput', 'held', 'client', 'redis'] as const;
type Part = (typeof PARTS)[number];

/** The soft limit on open files, from /proc (Linux), else 'unknown'. */
function openFilesLimit(): string {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    return line?.split(/\s{2,}/)[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function parts(raw: string | undefined): Set<Part> {
  if (raw === undefined) return new Set(PARTS);
  const asked = raw.split(',').map((p) => p.trim());
  const bad = asked.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (bad.length > 0) throw new Error(`--only accepts ${PARTS.join(', ')}; got '${bad.join(',')}'`);
  return new Set(asked as Part[]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  });
  const plan = values.quick ? QUICK : FULL;
  const only = parts(values.only);
  const limit = openFilesLimit();
  const needed = plan.held.jobs * plan.held.waitersPerJob;
  if (limit !== 'unknown' && limit !== 'unlimited' && Number(limit) < needed + 1000) {
    console.warn(`warning: open files limit ${limit} is below ${needed + 1000}; raise it with ulimit -n`);
  }
  const started = performance.now();
  const out: string[] = [];

  if (only.has('throughput')) {
    console.log(`GET /status throughput: ${plan.load.connections} connections × ${plan.load.durationS} s...`);
    const throughput = await measureThroughput(plan.load);
    const { ours, bare, bareWithHeaders } = throughput;
    console.log(
      `  ours ${ours.requestsPerSecond.toFixed(0)} req/s, bare ${bare.requestsPerSecond.toFixed(0)} req/s, ` +
        `bare with our headers ${bareWithHeaders.requestsPerSecond.toFixed(0)} req/s`,
    );
    out.push('#### GET /status throughput', '', ...throughputSection(throughput, plan.load), '');
  }
  if (only.has('held')) {
    const held = [];
    for (const kind of ['long-poll', 'long-poll wake=result', 'events'] as const) {
      console.log(`Held ${kind}: ${needed} waiters...`);
      const r = await measureHeld(kind, plan.held);
      console.log(
        `  held ${r.maxHeld}, RSS peak ${(r.rssPeakBytes / 2 ** 20).toFixed(0)} MiB, answer p50 ` +
          `${r.latencyP50Ms} ms p99 ${r.latencyP99Ms} ms max ${r.latencyMaxMs} ms, ${r.failures} failed ${r.firstFailure ?? ''}`,
      );
      held.push(r);
    }
    out.push(
      '#### Held waits on one server process',
      '',
      `${plan.held.jobs} jobs × ${plan.held.waitersPerJob} waiters on raw TCP sockets (the request written by ` +
        `hand), the jobs completing evenly over ${plan.held.spreadMs} ms starting ${plan.held.firstCompletionMs / 1000} s ` +
        'after creation. A long-poll waiter sends `Prefer: wait=30` with the `If-None-Match` of its last answer ' +
        'and asks again after each stage change, as a long-polling client that follows stages does; a ' +
        '`wake=result` waiter adds `?wake=result` and is answered once, when its job ends, as the client ' +
        'library asks when no one follows the stages; an event-stream waiter reads ' +
        '`GET /jobs/:id/events` until the terminal event. Server memory is read from the server process over ' +
        'IPC every 200 ms; "held at once" is its own gauge. `maxHeldRequests` is raised to ' +
        `${Math.max(10_000, 2 * needed)} for this run, and so is \`maxHeldPerClient\` (every waiter comes from one address).`,
      '',
      ...heldSection(held),
      '',
    );
  }
  if (only.has('client')) {
    const results = [];
    for (const mode of ['waitForAll', 'waitForCompletion'] as const) {
      console.log(`One client, ${plan.client.jobs} jobs, ${mode}...`);
      const r = await measureClientScale(mode, plan.client);
      console.log(
        `  ${r.requests} requests in ${(r.wallMs / 1000).toFixed(1)} s, RSS peak ` +
          `${(r.rssPeakBytes / 2 ** 20).toFixed(0)} MiB, ${r.failures} failed ${r.firstFailure ?? ''}`,
      );
      results.push(r);
    }
    out.push(
      '#### One client waiting on many jobs',
      '',
      `${plan.client.jobs} jobs lasting ${plan.client.minMs / 1000} to ${plan.client.maxMs / 1000} s from ` +
        'creation, waited on by one client process (its own process, default options, Node’s fetch); memory ' +
        'sampled in that process every 100 ms. Each job’s moment is when its own wait settles (`onSettled` ' +
        'for `waitForAll`); no wait follows the stages.',
      '',
      ...clientScaleSection(results),
      '',
    );
  }

  const redisOut: string[] = [];
  if (only.has('redis')) {
    console.log('Redis store: GET /status throughput, one and two instances...');
    const throughput = await measureRedisThroughput(plan.load);
    console.log(
      `  ${[throughput.memory, throughput.redisOne, throughput.redisTwo].map((r) => `${r.name} ${r.requestsPerSecond.toFixed(0)} req/s`).join(', ')}`,
    );
    const held = [];
    for (const kind of ['long-poll wake=result', 'events'] as const) {
      console.log(`Held ${kind} across two instances: ${needed} waiters...`);
      held.push(await measureHeldAcross(kind, plan.held));
    }
    redisOut.push(...redisSection(throughput, plan.load, held, plan.held));
  }

  const header = [
    `- Command: \`${values.quick ? 'npm run bench:server:quick' : 'npm run bench:server'}\` ` +
      `(${((performance.now() - started) / 1000).toFixed(0)} s of wall time)`,
    `- Machine: ${machineDescription()}; open files limit ${limit}`,
    '- Every server runs in its own Node.js process with log level `silent`; the load comes from the ' +
      'benchmark process.',
    '',
  ];
  const section = [...header, ...out].join('\n');
  const redisReport = [...header, ...redisOut].join('\n');
  console.log(`\n${section}`);
  if (redisOut.length > 0) console.log(`\n${redisReport}`);
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const docPath = `${root}docs/benchmarks.md`;
  if (values.quick || values.only !== undefined) {
    mkdirSync(`${root}.bench-out`, { recursive: true });
    writeFileSync(`${root}.bench-out/server-quick.md`, `${section}\n\n${redisReport}\n`);
  } else {
    writeFileSync(docPath, spliceMarked(readFileSync(docPath, 'utf8'), 'server', section));
    console.log(`Wrote ${docPath} and ${writeBenchmarkCharts().join(', ')}`);
  }
  // The Redis rows have a section of their own, which `--only redis` (bench:server-redis) rewrites too.
  const redisOnly = values.only !== undefined && only.size === 1 && only.has('redis');
  if (!values.quick && redisOut.length > 0 && (values.only === undefined || redisOnly)) {
    writeFileSync(docPath, spliceMarked(readFileSync(docPath, 'utf8'), 'server-redis', redisReport));
    console.log(`Wrote the Redis rows of ${docPath}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
