/**
 * `npm run bench:server [-- --quick] [-- --only throughput,held,client,multiplexed,redis]`: GET /status
 * throughput against bare node:http, 10,000 held long-polls and event streams on one server, one client
 * waiting on 10,000 jobs, and one server holding 10,000 jobs over multiplexed event streams. A full run
 * rewrites its section of docs/benchmarks.md; a run of full size with `--only` rewrites the parts it ran
 * and keeps the others; a quick run (smaller and shorter) writes .bench-out/server-quick.md. Each part
 * says the command and the load average it ran at, since the machine is often shared.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAverage, machineDescription, replaceBlocks, spliceMarked } from '../e2e/sections.js';
import { writeBenchmarkCharts } from '../charts/run.js';
import { generatedSection } from '../charts/doc-tables.js';
import { SECTION_PARTS } from './parts.js';
import type { Plan } from './parts.js';
import { measureHeldAcross, measureRedisThroughput } from './redis.js';
import { redisSection } from './redis-report.js';

const FULL: Plan = {
  load: { connections: 50, durationS: 10, warmupS: 3, rounds: 3 },
  held: { jobs: 100, waitersPerJob: 100, firstCompletionMs: 15_000, spreadMs: 1_000 },
  client: { jobs: 10_000, firstEndMs: 12_000, spreadMs: 6_000 },
  multiplexed: { streams: 100, idsPerStream: 100, firstEndMs: 12_000, spreadMs: 6_000 },
};
const QUICK: Plan = {
  load: { connections: 50, durationS: 2, warmupS: 1, rounds: 1 },
  held: { jobs: 10, waitersPerJob: 100, firstCompletionMs: 4_000, spreadMs: 500 },
  client: { jobs: 1_000, firstEndMs: 10_000, spreadMs: 5_000 },
  multiplexed: { streams: 10, idsPerStream: 100, firstEndMs: 10_000, spreadMs: 5_000 },
};

const PARTS = [...(Object.keys(SECTION_PARTS) as (keyof typeof SECTION_PARTS)[]), 'redis'] as const;
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
  const command =
    `npm run bench:server${values.quick ? ':quick' : ''}` +
    (values.only === undefined ? '' : ` -- --only ${values.only}`);
  const limit = openFilesLimit();
  const needed = plan.held.jobs * plan.held.waitersPerJob;
  if (limit !== 'unknown' && limit !== 'unlimited' && Number(limit) < needed + 1000) {
    console.warn(`warning: open files limit ${limit} is below ${needed + 1000}; raise it with ulimit -n`);
  }
  const blocks: string[] = [];
  for (const [part, run] of Object.entries(SECTION_PARTS)) {
    if (!only.has(part as Part)) continue;
    const load = loadAverage();
    const started = performance.now();
    const [heading = '', ...rest] = await run(plan);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    blocks.push(
      [heading, '', `Run by \`${command}\` (${seconds} s); load average ${load} as it began.`, ...rest].join(
        '\n',
      ),
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
    `- Machine: ${machineDescription()}; open files limit ${limit}`,
    '- Every server runs in its own Node.js process with log level `silent`; the load comes from the ' +
      'benchmark process.',
  ].join('\n');
  const section = replaceBlocks(header, blocks);
  const redisReport = [
    `- Command: \`${command}\`; load average ${loadAverage()} at the end`,
    header,
    '',
    ...redisOut,
  ].join('\n');
  console.log(`\n${section}`);
  if (redisOut.length > 0) console.log(`\n${redisReport}`);
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const docPath = `${root}docs/benchmarks.md`;
  if (values.quick) {
    mkdirSync(`${root}.bench-out`, { recursive: true });
    writeFileSync(`${root}.bench-out/server-quick.md`, `${section}\n\n${redisReport}\n`);
    return;
  }
  if (blocks.length > 0) {
    const doc = readFileSync(docPath, 'utf8');
    // A partial run keeps the parts it did not run, as the last run of each left them.
    const old = generatedSection(doc, 'server');
    const at = old.search(/^#### /m);
    const oldBlocks = values.only === undefined || at === -1 ? '' : `\n\n${old.slice(at)}`;
    const merged = replaceBlocks(`${header}${oldBlocks}`, blocks);
    writeFileSync(docPath, spliceMarked(doc, 'server', merged));
    console.log(`Wrote ${docPath} and ${writeBenchmarkCharts().join(', ')}`);
  }
  if (redisOut.length > 0) {
    writeFileSync(docPath, spliceMarked(readFileSync(docPath, 'utf8'), 'server-redis', redisReport));
    console.log(`Wrote the Redis rows of ${docPath}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
