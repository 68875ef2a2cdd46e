/**
 * The server benchmark's results as Markdown for docs/benchmarks.md, with each target stated as met or
 * missed.
 */
import { markdownTable } from '../policy/report.js';
import { formatMiB, formatMs, formatRatio } from '../e2e/sections.js';
import type { ClientScaleResult } from './client-scale.js';
import type { HeldResult } from './held.js';
import type { LoadSettings, Round, ThroughputResult } from './throughput.js';

export const SERVER_TARGETS = {
  throughputRatio: 0.85,
  heldRssBytes: 256 * 2 ** 20,
  heldLatencyMs: 200,
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

export function clientScaleSection(results: readonly ClientScaleResult[]): string[] {
  return [
    markdownTable(
      [
        'Client wait',
        'Jobs',
        'Requests (fetch calls)',
        'Requests (server)',
        'Wall time',
        'Requests/s',
        'RSS before',
        'RSS peak',
        'Heap peak',
        'Delay mean',
        'p99',
        'Failed',
      ],
      results.map((r) => [
        r.mode === 'waitForAll' ? 'waitForAll (batch)' : 'waitForCompletion × N (auto)',
        String(r.jobs),
        String(r.requests),
        String(r.serverRequests),
        formatMs(r.wallMs),
        (r.requests / (r.wallMs / 1000)).toFixed(1),
        formatMiB(r.rssBaselineBytes),
        formatMiB(r.rssPeakBytes),
        formatMiB(r.heapPeakBytes),
        formatMs(r.delayMeanMs),
        formatMs(r.delayP99Ms),
        String(r.failures),
      ]),
    ),
    ...results.flatMap((r) =>
      r.failures > 0 ? [`- ${r.mode}: ${r.failures} failed, e.g. ${r.firstFailure ?? 'unknown'}`] : [],
    ),
  ];
}
