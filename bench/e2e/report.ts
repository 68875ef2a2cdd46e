/**
 * The end-to-end results as Markdown for docs/benchmarks.md.
 */
import { markdownTable } from '../policy/report.js';
import type { E2EParams, PhaseResult } from './e2e.js';
import { formatMs, formatRatio } from './sections.js';

export const E2E_TARGETS = { fewerRequestsFactor: 10, meanDelayMs: 20 } as const;

function perJob(requests: number, jobs: number): string {
  const n = requests / jobs;
  return n < 10 ? n.toFixed(2) : n.toFixed(1);
}

export function e2eTable(results: readonly PhaseResult[]): string {
  const naive = results[0];
  const rows = results.map((r) => [
    r.name,
    String(r.serverRequests),
    perJob(r.serverRequests, r.jobs),
    String(r.clientRequests),
    r.reportedRequests === undefined ? 'n/a' : String(r.reportedRequests),
    naive === undefined ? 'n/a' : formatRatio(r.serverRequests / naive.serverRequests),
    formatMs(r.delayMeanMs),
    formatMs(r.delayP95Ms),
    formatMs(r.delayMaxMs),
    naive === undefined ? 'n/a' : formatRatio(r.delayMeanMs / naive.delayMeanMs),
    String(r.failures),
  ]);
  return markdownTable(
    [
      'Waiter',
      'Requests (server)',
      'per job',
      'fetch calls',
      'reported by waits',
      'requests vs naive',
      'Delay mean',
      'p95',
      'max',
      'delay vs naive',
      'Failed',
    ],
    rows,
  );
}

/** One line per client row against the targets, stated plainly (met or missed). */
export function targetLines(results: readonly PhaseResult[]): string[] {
  const naive = results[0];
  if (naive === undefined) return [];
  return results.slice(1).map((r) => {
    const factor = naive.serverRequests / r.serverRequests;
    const fewer = factor >= E2E_TARGETS.fewerRequestsFactor ? 'met' : 'missed';
    const fast = r.delayMeanMs < E2E_TARGETS.meanDelayMs ? 'met' : 'missed';
    // A row that made no request at all (waits ended by webhooks) has no finite factor.
    const requests =
      r.serverRequests === 0
        ? `no status requests at all (naive: ${naive.serverRequests})`
        : `${factor.toFixed(1)}x fewer requests than naive`;
    return (
      `${r.name}: ${requests} (target ≥${E2E_TARGETS.fewerRequestsFactor}x: ` +
      `${fewer}); mean detection delay ${formatMs(r.delayMeanMs)} (target < ${E2E_TARGETS.meanDelayMs} ms: ${fast})`
    );
  });
}

export interface E2EContext {
  readonly command: string;
  readonly machine: string;
  readonly params: E2EParams;
  readonly wallSeconds: number;
  readonly notes: readonly string[];
}

export function renderE2E(results: readonly PhaseResult[], ctx: E2EContext): string {
  const p = ctx.params;
  return [
    `- Command: \`${ctx.command}\` (${ctx.wallSeconds.toFixed(0)} s of wall time)`,
    `- Machine: ${ctx.machine}`,
    `- Jobs: ${p.jobs} per phase, durations uniform in [${formatMs(p.minMs)}, ${formatMs(p.maxMs)}] ` +
      `(seed ${p.seed}), all waited on at once; a fresh server per phase`,
    '',
    e2eTable(results),
    '',
    ...targetLines(results).map((line) => `- ${line}`),
    ...ctx.notes.map((note) => `- ${note}`),
  ].join('\n');
}
