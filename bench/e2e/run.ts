/**
 * `npm run bench:e2e [-- --quick] [-- --jobs N --seed S] [-- --only webhook]`: the real server (in a
 * child process) and real waiters over loopback HTTP. A full run rewrites its section of
 * docs/benchmarks.md; a quick run (50 jobs of 1-3 s) writes .bench-out/e2e-quick.md instead, and
 * `--only webhook` (the naive poller and the webhook phases) .bench-out/e2e-webhook.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FULL_E2E, QUICK_E2E, runE2E } from './e2e.js';
import type { E2EParams } from './e2e.js';
import { renderE2E } from './report.js';
import { machineDescription, spliceMarked } from './sections.js';
import { spawnServer } from './server-process.js';
import { ALL_WAITERS, naivePoller } from './waiters.js';
import { webhookWaiter } from './webhook-waiter.js';
import { writeBenchmarkCharts } from '../charts/run.js';

export const MAX_JOBS = 1000;
/** The share of deliveries the second webhook phase cuts before its receiver sees them. */
const WEBHOOK_DROP_RATE = 0.3;

function wholeNumber(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new Error(`--${name} must be a whole number from 1 to ${max}, got '${raw}'`);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.only !== undefined && values.only !== 'webhook') {
    throw new Error(`--only accepts webhook; got '${values.only}'`);
  }
  const webhooks = [webhookWaiter(), webhookWaiter(WEBHOOK_DROP_RATE)];
  // The naive poller first in either case: every row is compared with it.
  const waiters = values.only === 'webhook' ? [naivePoller, ...webhooks] : [...ALL_WAITERS, ...webhooks];
  const base = values.quick ? QUICK_E2E : FULL_E2E;
  const params: E2EParams = {
    ...base,
    jobs: wholeNumber('jobs', values.jobs, base.jobs, MAX_JOBS),
    seed: wholeNumber('seed', values.seed, base.seed, 2 ** 32 - 1),
  };
  console.log(
    `${params.jobs} jobs of ${params.minMs}-${params.maxMs} ms per phase, ${waiters.length} phases`,
  );
  const started = performance.now();
  const results = await runE2E(
    params,
    waiters,
    // All waits come from this one process: the per-client hold cap must fit every job.
    (options) =>
      spawnServer({ logLevel: 'silent', maxHeldPerClient: Math.max(1000, 2 * params.jobs), ...options }),
    (r) => {
      console.log(
        `  ${r.name}: ${r.serverRequests} requests (server), ${r.clientRequests} fetch calls, ` +
          `delay mean ${r.delayMeanMs.toFixed(1)} ms p95 ${r.delayP95Ms.toFixed(1)} ms max ${r.delayMaxMs.toFixed(1)} ms, ` +
          `${r.failures} failed${r.firstFailure === undefined ? '' : ` (${r.firstFailure})`}`,
      );
    },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const notes = [
    'The server runs in its own Node.js process (`bench/e2e/server-child.ts`, log level `silent`); the ' +
      'waiters share the benchmark process and talk to it over loopback HTTP with Node’s fetch.',
    'Detection delay: the moment the waiter has the terminal status (`Date.now()` in the benchmark) minus ' +
      'the job’s `completed_at` (`Date.now()` in the server process, same machine clock).',
    'Requests (server) is the change of `translation_status_http_requests_total` over the wait routes ' +
      '(GET/HEAD `/status`, `/jobs/:id`, `/jobs`, `/jobs/:id/events`, `/events`) during the phase; a held ' +
      'long-poll or an event stream counts once, whatever its number of jobs.',
    'The `ours, …` rows of `waitForCompletion` are separate waits, one call per job, on a server that ' +
      'offers one stream for many jobs (`GET /events?ids=`), except the row of a server started with ' +
      '`--no-multi-events`: what the client does where it cannot gather its waits onto shared streams.',
    'Webhook rows: the server (`--webhook-secret`) POSTs each job’s end to a receiver in the benchmark ' +
      'process (`createWebhookReceiver` with its `url`, on loopback), and the client given that receiver ' +
      'creates the jobs and waits on each; its only status requests are safety-net reads (one at 1.25 × ' +
      'the ETA, then one per minute). In the second, the receiver’s endpoint cuts ' +
      `${String(WEBHOOK_DROP_RATE * 100)}% of the delivery requests (the connection destroyed without an ` +
      'answer, as a failing proxy would): the server retries those after 5 s (then 5 min), and a wait ' +
      'whose deliveries are all cut is ended by its safety-net read.',
  ];
  const section = renderE2E(results, {
    command:
      (values.quick ? 'npm run bench:e2e:quick' : 'npm run bench:e2e') +
      (values.only === undefined ? '' : ` -- --only ${values.only}`),
    machine: machineDescription(),
    params,
    wallSeconds,
    notes,
  });
  console.log(`\n${section}`);
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  if (values.quick || values.only !== undefined) {
    const name = values.only === undefined ? 'e2e-quick' : `e2e-${values.only}`;
    mkdirSync(`${root}.bench-out`, { recursive: true });
    writeFileSync(`${root}.bench-out/${name}.md`, `${section}\n`);
  } else {
    const docPath = `${root}docs/benchmarks.md`;
    writeFileSync(docPath, spliceMarked(readFileSync(docPath, 'utf8'), 'e2e', section));
    console.log(`Wrote ${docPath} and ${writeBenchmarkCharts().join(', ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
