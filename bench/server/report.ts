/**
 * The server benchmark's results as Markdown for docs/benchmarks.md, with each target stated as met or
 * missed.
 */
import { markdownTable } from '../policy/report.js';
import { formatMiB, formatMs, formatRatio } from '../e2e/sections.js';
import type { ClientScaleResult } from './client-scale.js';
import type { MultiplexedResult } from './multiplexed.js';
import type { HeldResult } from './held.js';
import type { LoadSettings, Round, ThroughputResult } from './throughput.js';

export const SERVER_TARGETS = {
  throughputRatio: 0.85,
  heldRssBytes: 256 * 2 ** 20,
  heldLatencyMs: 200,
  /** Issue 12: one client waiting on 10,000 jobs, and one server holding them over multiplexed streams. */
  scaleRssBytes: 150 * 2 ** 20,
  scaleRssRatio: 1.25,
  scaleRequestsPerJob: 0.05,
  scaleLatenessMs: 100,
} as const;

const met = (ok: boolean): string => (ok ? 'met' : 'missed');

/** One row per server (or store) of a throughput run, headed by what the rows differ in. */
export function throughputTable(first: string, rows: readonly Round[]): string {
  return markdownTable(
    [first, 'Requests/s', 'p50 latency', 'p99 latency', 'Requests', 'Errors or non-2xx'],
    rows.map((r) => [
      r.name,
      r.requestsPerSecond.toFixed(0),
      formatMs(r.latencyP50Ms),
      formatMs(r.latencyP99Ms),
      String(r.total),
      String(r.bad),
    ]),
  );
}

export function throughputSection(result: ThroughputResult, load: LoadSettings): string[] {
  const { ours, fastify, bare, bareWithHeaders } = result;
  const all = [ours, fastify, bare, bareWithHeaders];
  const ratio = ours.requestsPerSecond / bare.requestsPerSecond;
  return [
    `${load.connections} connections, ${load.durationS} s per round, ${load.rounds} rounds alternating between the servers after a ${load.warmupS} s warm-up of each; each row is its median round (all rounds, requests/s: ${all.map((r) => r.rounds.map((n) => n.toFixed(0)).join(' / ')).join('; ')}):`,
    '',
    throughputTable('Server', all),
    '',
    `- Ours / bare: ${formatRatio(ratio)} the throughput (target ≥ ${SERVER_TARGETS.throughputRatio}x: ${met(ratio >= SERVER_TARGETS.throughputRatio)}); plain Fastify reaches ${formatRatio(fastify.requestsPerSecond / bare.requestsPerSecond)}, and the bare server sending our protocol headers ${formatRatio(bareWithHeaders.requestsPerSecond / bare.requestsPerSecond)}.`,
  ];
}

export function heldSection(results: readonly HeldResult[]): string[] {
  const rows = results.map((r) => [
    r.kind,
    String(r.waiters),
    String(r.maxHeld),
    formatMs(r.connectMs),
    formatMiB(r.rssBaselineBytes),
    formatMiB(r.rssPeakBytes),
    formatMiB(r.heapPeakBytes),
    String(r.requests),
    formatMs(r.latencyP50Ms),
    formatMs(r.latencyP99Ms),
    formatMs(r.latencyMaxMs),
    `${r.answered}/${r.waiters}`,
  ]);
  const lines = results.map((r) => {
    const memoryOk = r.rssPeakBytes < SERVER_TARGETS.heldRssBytes;
    const latencyOk = r.failures === 0 && r.latencyMaxMs <= SERVER_TARGETS.heldLatencyMs;
    return (
      `- ${r.kind}: peak RSS ${formatMiB(r.rssPeakBytes)} (target < 256 MiB: ${met(memoryOk)}); ` +
      `every waiter answered within ${formatMs(r.latencyMaxMs)} of completion (target 200 ms: ${met(latencyOk)})` +
      (r.failures > 0 ? `; ${r.failures} failed, e.g. ${r.firstFailure ?? 'unknown'}` : '')
    );
  });
  return [
    markdownTable(
      [
        'Held waits',
        'Waiters',
        'Held at once',
        'Time to open all',
        'RSS before',
        'RSS peak',
        'Heap peak',
        'Requests',
        'Answer after completion p50',
        'p99',
        'max',
        'Answered',
      ],
      rows,
    ),
    '',
    ...lines,
  ];
}

const CLIENT_WAIT_NAMES: Record<ClientScaleResult['mode'], string> = {
  waitForAll: 'waitForAll (one call)',
  waitForCompletion: 'waitForCompletion × N (auto)',
};

/** The issue 12 targets of one client row; `all` is the waitForAll row the memory ratio is taken to. */
function clientTargetLine(r: ClientScaleResult, all: ClientScaleResult | undefined): string {
  const { scaleRssBytes, scaleRssRatio, scaleRequestsPerJob, scaleLatenessMs } = SERVER_TARGETS;
  const perJob = r.serverRequests / r.jobs;
  const parts = [
    `peak RSS ${formatMiB(r.rssPeakBytes)} (target < ${formatMiB(scaleRssBytes)}: ${met(r.rssPeakBytes < scaleRssBytes)})`,
  ];
  if (r.mode !== 'waitForAll' && all !== undefined) {
    const ratio = r.rssPeakBytes / all.rssPeakBytes;
    parts.push(
      `${formatRatio(ratio)} waitForAll's (target ≤ ${scaleRssRatio}x: ${met(ratio <= scaleRssRatio)})`,
    );
  }
  parts.push(
    `${perJob.toFixed(3)} requests per job counted by the server (target ≤ ${scaleRequestsPerJob}: ${met(perJob <= scaleRequestsPerJob)})`,
    `p99 lateness ${formatMs(r.delayP99Ms)} (target ≤ ${scaleLatenessMs} ms: ${met(r.failures === 0 && r.delayP99Ms <= scaleLatenessMs)})`,
  );
  const failed = r.failures > 0 ? `; ${r.failures} failed, e.g. ${r.firstFailure ?? 'unknown'}` : '';
  return `- ${CLIENT_WAIT_NAMES[r.mode]}: ${parts.join('; ')}${failed}`;
}

export function clientScaleSection(results: readonly ClientScaleResult[]): string[] {
  const all = results.find((r) => r.mode === 'waitForAll');
  return [
    markdownTable(
      [
        'Client wait',
        'Jobs',
        'Requests (fetch calls)',
        'Requests (server)',
        'Per job (server)',
        'Created in',
        'Waits began before the first end',
        'Wall time',
        'RSS before',
        'RSS peak',
        'Heap peak',
        'Live heap per pending wait',
        'Client CPU',
        'Lateness mean',
        'p99',
        'Failed',
      ],
      results.map((r) => [
        CLIENT_WAIT_NAMES[r.mode],
        String(r.jobs),
        String(r.requests),
        String(r.serverRequests),
        (r.serverRequests / r.jobs).toFixed(3),
        formatMs(r.createMs),
        formatMs(r.leadMs),
        formatMs(r.wallMs),
        formatMiB(r.rssBaselineBytes),
        formatMiB(r.rssPeakBytes),
        formatMiB(r.heapPeakBytes),
        Number.isNaN(r.liveHeapPerWaitBytes) ? 'n/a' : `${(r.liveHeapPerWaitBytes / 1024).toFixed(1)} KB`,
        formatMs(r.cpuMs),
        formatMs(r.delayMeanMs),
        formatMs(r.delayP99Ms),
        String(r.failures),
      ]),
    ),
    '',
    ...results.map((r) => clientTargetLine(r, all)),
  ];
}

export function multiplexedSection(results: readonly MultiplexedResult[]): string[] {
  const { scaleRssBytes, scaleLatenessMs } = SERVER_TARGETS;
  return [
    markdownTable(
      [
        'Multiplexed streams',
        'Jobs',
        'Streams',
        'Created in',
        'Streams opened before the first end',
        'Open at once',
        'Time to open all',
        'RSS before',
        'RSS peak',
        'Heap peak',
        'Delivery after the end p50',
        'p99',
        'max',
        'Endings read',
      ],
      results.map((r) => [
        r.wake === 'result' ? 'wake=result (endings only)' : 'every stage change',
        String(r.jobs),
        String(r.streams),
        formatMs(r.createMs),
        formatMs(r.leadMs),
        String(r.maxOpen),
        formatMs(r.connectMs),
        formatMiB(r.rssBaselineBytes),
        formatMiB(r.rssPeakBytes),
        formatMiB(r.heapPeakBytes),
        formatMs(r.delay.p50Ms),
        formatMs(r.delay.p99Ms),
        formatMs(r.delay.maxMs),
        `${r.endings}/${r.jobs}`,
      ]),
    ),
    '',
    ...results.map(
      (r) =>
        `- ${r.wake === 'result' ? 'wake=result' : 'every stage change'}: peak RSS ${formatMiB(r.rssPeakBytes)} ` +
        `(target < ${formatMiB(scaleRssBytes)}: ${met(r.rssPeakBytes < scaleRssBytes)}); p99 delivery ` +
        `${formatMs(r.delay.p99Ms)} after each job's end (target ≤ ${scaleLatenessMs} ms: ` +
        `${met(r.failures === 0 && r.delay.p99Ms <= scaleLatenessMs)})` +
        (r.failures > 0 ? `; ${r.failures} streams failed, e.g. ${r.firstFailure ?? 'unknown'}` : ''),
    ),
  ];
}
