/**
 * The server goes away for a while and comes back on the same port (the proxy in front of it stops
 * serving and a listener that resets every connection takes its port). Measured: how many connection
 * attempts per second 1,000 waits send to the dead server, with and without the retry budget; and that
 * waits whose deadline allows resume and finish once it is back.
 */
import { TranslationClient } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ChaosProxy } from './chaos-proxy.js';
import { countUnhandledRejections, planJobs, recordWait, startBackend, tally } from './support.js';

const OUTAGE_MS = 4000;

let server: RunningServer | undefined;
let proxy: ChaosProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

/** Connection attempts per whole second of the outage, first second first. */
function perSecond(times: readonly number[], from: number): number[] {
  const seconds = Array.from({ length: Math.ceil(OUTAGE_MS / 1000) }, () => 0);
  for (const t of times) {
    const i = Math.floor((t - from) / 1000);
    if (i >= 0 && i < seconds.length) seconds[i] = (seconds[i] ?? 0) + 1;
  }
  return seconds;
}

async function outage(waits: number, budget: boolean, seed: number, retryMaxDelayMs?: number) {
  const unhandled = countUnhandledRejections();
  try {
    server = await startBackend();
    proxy = new ChaosProxy({ target: server.url, faultRate: 0, seed });
    await proxy.listen();
    // Jobs end 2.5–3.5 s after the outage begins, so their waits must ride it out.
    const jobs = await planJobs(server, waits, { seed, minMs: 3000, maxMs: 4000, errorShare: 0.1 });
    const client = new TranslationClient({
      baseUrl: proxy.url,
      logLevel: 'silent',
      requestTimeoutMs: 2000,
      retry: {
        ...(budget ? {} : { budget: false }),
        ...(retryMaxDelayMs === undefined ? {} : { maxDelayMs: retryMaxDelayMs }),
      },
    });
    const timeoutMs = 20_000;
    const records = Promise.all(
      jobs.map((job) => recordWait(job, timeoutMs, () => client.waitForCompletion(job.id, { timeoutMs }))),
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // every wait is following its job
    const downAt = Date.now();
    await proxy.goDown();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await proxy.comeBack();
    const done = await records;
    const rates = perSecond(proxy.deadConnections, downAt);
    console.log(
      `[reliability] outage of ${OUTAGE_MS} ms, ${waits} waits, budget ${budget ? 'default' : 'off'}: ` +
        `connection attempts per second ${JSON.stringify(rates)} (total ${proxy.deadConnections.length}); ` +
        `outcomes ${JSON.stringify(tally(done))}`,
    );
    return { done, rates, attempts: proxy.deadConnections.length, unhandled: unhandled.count() };
  } finally {
    unhandled.stop();
  }
}

describe('a server that is down for a while, then back on the same port', () => {
  it('1,000 waits with the default budget: the budget caps the retries sent to the dead server', async () => {
    const { done, attempts, unhandled } = await outage(1000, true, 21);
    // The budget (100 tokens, 1 per retry, 2 after a timeout) pays for ~100 retries, then lets 10 a second
    // through unpaid; the rest probe at most once per retry.maxDelayMs (15-30 s).
    // Those probes can land after this test's short 20 s deadlines: a timeout is the only other outcome.
    expect(attempts).toBeLessThan(1000 + 150);
    for (const r of done) expect([r.job.outcome, 'timeout'], JSON.stringify(r)).toContain(r.outcome);
    expect(unhandled).toBe(0);
  }, 60_000);

  // A spent budget slows waits to unpaid probes (one per retry.maxDelayMs) instead of failing them: they
  // resume after the outage. retry.maxDelayMs is 3 s here so the probes fit this test's 20 s deadlines.
  it('200 waits with the default budget resume and finish once the server is back', async () => {
    const { done } = await outage(200, true, 23, 3000);
    for (const r of done) expect(r.outcome, JSON.stringify(r)).toBe(r.job.outcome);
  }, 60_000);

  it('1,000 waits without a budget: backoff spreads the retries, and every wait finishes after the outage', async () => {
    const { done, attempts, unhandled } = await outage(1000, false, 22);
    // Full-jitter exponential backoff (125 ms, doubling): a few attempts per wait during the 4 s outage,
    // not hundreds. The attempts per second are printed, not asserted: their shape depends on the
    // machine's load (a loaded process notices 1,000 dropped streams over a second or more).
    expect(attempts).toBeLessThan(1000 * 10);
    for (const r of done) expect(r.outcome, JSON.stringify(r)).toBe(r.job.outcome);
    expect(unhandled).toBe(0);
  }, 60_000);
});
