/**
 * 1,000 concurrent waits through a proxy that faults up to 30% of requests: every wait ends with the
 * outcome the server decided (or a timeout only once its deadline has passed), never later than its
 * deadline plus one request timeout, with no unhandled rejection and no handle left behind.
 */
import type { WaitOptions } from '@translation-status/client';
import { TranslationClient } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { describe, expect, it } from 'vitest';
import { ChaosProxy } from './chaos-proxy.js';
import type { WaitRecord } from './support.js';
import {
  countUnhandledRejections,
  leftoverResources,
  planJobs,
  recordWait,
  snapshotResources,
  startBackend,
  tally,
} from './support.js';

const WAITS = 1000;
const FAULT_RATE = 0.3;
const REQUEST_TIMEOUT_MS = 2000;
const SLACK_MS = 2000;
const LONG_DEADLINE_MS = 25_000;
const TRANSPORTS: NonNullable<WaitOptions['transport']>[] = ['auto', 'long-poll', 'poll'];

interface Run {
  readonly records: WaitRecord[];
  readonly proxy: ChaosProxy;
  readonly unhandled: number;
  readonly leftovers: Record<string, number>;
  readonly wallMs: number;
}

async function runChaos(budget: 'none' | 'default', seed: number): Promise<Run> {
  const before = snapshotResources();
  const unhandled = countUnhandledRejections();
  let server: RunningServer | undefined;
  let proxy: ChaosProxy | undefined;
  try {
    server = await startBackend();
    proxy = new ChaosProxy({ target: server.url, faultRate: FAULT_RATE, seed });
    await proxy.listen();
    const jobs = await planJobs(server, WAITS, { seed });
    const client = new TranslationClient({
      baseUrl: proxy.url,
      logLevel: 'silent',
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      retry: {
        maxRetries: 20,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        maxRetryAfterMs: 2000,
        ...(budget === 'none' ? { budget: false } : {}),
      },
      polling: { initialDelayMs: 250, maxDelayMs: 1000 },
    });
    const started = Date.now();
    const records = await Promise.all(
      jobs.map((job, i) => {
        // One wait in ten gets a deadline shorter than its job, so some timeouts are expected.
        const timeoutMs = i % 10 === 0 ? Math.max(200, job.durationMs - 400) : LONG_DEADLINE_MS;
        const transport = TRANSPORTS[i % TRANSPORTS.length];
        return recordWait(job, timeoutMs, () => client.waitForCompletion(job.id, { timeoutMs, transport }));
      }),
    );
    const wallMs = Date.now() - started;
    await proxy.close();
    await server.close();
    const leftovers = await leftoverResources(before);
    return { records, proxy, unhandled: unhandled.count(), leftovers, wallMs };
  } finally {
    unhandled.stop();
    await proxy?.close();
    await server?.close();
  }
}

function report(name: string, run: Run): void {
  const faults = Object.fromEntries([...run.proxy.counts].sort());
  console.log(
    `[reliability] ${name}: ${run.records.length} waits in ${run.wallMs} ms; ` +
      `${run.proxy.requests} requests, ${run.proxy.faulted()} faulted (${Math.round((100 * run.proxy.faulted()) / run.proxy.requests)}%); ` +
      `faults ${JSON.stringify(faults)}; outcomes ${JSON.stringify(tally(run.records))}`,
  );
}

function checkTiming(records: readonly WaitRecord[]): void {
  for (const r of records) {
    const elapsed = r.endedAt - r.startedAt;
    // Ends no later than its deadline plus one request timeout plus slack.
    expect(elapsed, JSON.stringify(r)).toBeLessThanOrEqual(r.timeoutMs + REQUEST_TIMEOUT_MS + SLACK_MS);
    // A timeout only once the deadline has truly passed.
    if (r.outcome === 'timeout') expect(elapsed, JSON.stringify(r)).toBeGreaterThanOrEqual(r.timeoutMs - 5);
  }
}

describe('chaos: 1,000 concurrent waits, 30% of requests faulted', () => {
  it('with retries unbudgeted, every wait ends as the server decided, on time, leaving nothing behind', async () => {
    const run = await runChaos('none', 11);
    report('chaos (no budget)', run);
    expect(run.records).toHaveLength(WAITS);
    expect(run.proxy.faulted() / run.proxy.requests).toBeGreaterThan(0.2);
    expect(run.proxy.faulted() / run.proxy.requests).toBeLessThan(0.4);
    checkTiming(run.records);
    for (const r of run.records) {
      if (r.timeoutMs === LONG_DEADLINE_MS) expect(r.outcome, JSON.stringify(r)).toBe(r.job.outcome);
      else expect([r.job.outcome, 'timeout'], JSON.stringify(r)).toContain(r.outcome);
    }
    expect(run.unhandled).toBe(0);
    expect(run.leftovers).toEqual({});
  }, 90_000);

  it('with the default retry budget, waits still end as the server decided (a spent budget only slows them)', async () => {
    const run = await runChaos('default', 12);
    report('chaos (default budget)', run);
    checkTiming(run.records);
    for (const r of run.records) {
      expect([r.job.outcome, 'timeout'], JSON.stringify(r)).toContain(r.outcome);
    }
    expect(run.unhandled).toBe(0);
    expect(run.leftovers).toEqual({});
  }, 90_000);
});
