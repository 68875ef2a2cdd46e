/**
 * The Redis rows of the server benchmark as Markdown: throughput against the in-memory store, and held
 * waits across two instances.
 */
import { markdownTable } from '../policy/report.js';
import { formatMiB, formatMs, formatRatio } from '../e2e/sections.js';
import type { HeldResult, HeldSettings } from './held.js';
import { throughputTable } from './report.js';
import type { RedisThroughputResult } from './redis.js';
import type { LoadSettings } from './throughput.js';

export function redisSection(
  result: RedisThroughputResult,
  load: LoadSettings,
  held: readonly HeldResult[],
  settings: HeldSettings,
): string[] {
  const all = [result.memory, result.redisOne, result.redisTwo];
  return [
    '#### GET /status throughput, Redis store',
    '',
    `${load.connections} connections in all (split evenly over two instances), ${load.durationS} s per round, ${load.rounds} rounds alternating after a ${load.warmupS} s warm-up; each row its median round (all rounds, requests/s: ${all.map((r) => r.rounds.map((n) => n.toFixed(0)).join(' / ')).join('; ')}). Redis (Debian's, append-only file with an fsync per write) runs on the same machine:`,
    '',
    throughputTable('Store', all),
    '',
    `- Redis, one instance / in-memory: ${formatRatio(result.redisOne.requestsPerSecond / result.memory.requestsPerSecond)}; two instances / one: ${formatRatio(result.redisTwo.requestsPerSecond / result.redisOne.requestsPerSecond)}.`,
    '',
    '#### Held waits across two instances on one Redis',
    '',
    `${settings.jobs} jobs × ${settings.waitersPerJob} waiters, the jobs created through one instance and every waiter held on the other (raw sockets, as above), the jobs completing evenly over ${settings.spreadMs} ms from ${settings.firstCompletionMs / 1000} s after creation; memory is the waiters' instance's:`,
    '',
    markdownTable(
      [
        'Kind',
        'Waiters',
        'Held at once',
        'RSS peak',
        'Heap peak',
        'p50 after the end',
        'p99',
        'max',
        'Answered',
      ],
      held.map((r) => [
        r.kind,
        String(r.waiters),
        String(r.maxHeld),
        formatMiB(r.rssPeakBytes),
        formatMiB(r.heapPeakBytes),
        formatMs(r.latencyP50Ms),
        formatMs(r.latencyP99Ms),
        formatMs(r.latencyMaxMs),
        `${r.answered}/${r.waiters}`,
      ]),
    ),
  ];
}
