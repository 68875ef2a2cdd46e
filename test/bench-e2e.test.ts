/**
 * The end-to-end benchmark's core, small: a real server on loopback (in-process here, from the sources),
 * the naive poller and the client's waits, with real properties checked (never timings).
 */
import { startServer } from '@translation-status/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPhase } from '../bench/e2e/e2e.js';
import type { E2EParams, PhaseResult } from '../bench/e2e/e2e.js';
import { countWaitRequests } from '../bench/e2e/metrics.js';
import type { ServerHandle } from '../bench/e2e/server-process.js';
import { batchWaiter, clientWaiter, naivePoller } from '../bench/e2e/waiters.js';
import { webhookWaiter } from '../bench/e2e/webhook-waiter.js';

const params: E2EParams = { jobs: 20, minMs: 1_000, maxMs: 2_000, seed: 11 };

async function inProcessServer(options: object = {}): Promise<ServerHandle> {
  const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
  return {
    url: server.url,
    memory: () => Promise.resolve(process.memoryUsage()),
    close: () => server.close(),
  };
}

function expectAllCompleted(result: PhaseResult): void {
  expect(result.firstFailure).toBeUndefined();
  expect(result.failures).toBe(0);
  expect(result.jobs).toBe(params.jobs);
  // Nobody learns of a completion before the server records it (same process, same clock).
  expect(result.delayMinMs).toBeGreaterThanOrEqual(0);
}

/** The server's count and the client's fetch calls agree, within one request per ten jobs. */
function expectCountsAgree(result: PhaseResult): void {
  expect(Math.abs(result.serverRequests - result.clientRequests)).toBeLessThanOrEqual(params.jobs / 10);
}

describe('bench:e2e core', () => {
  let naive: PhaseResult;
  beforeAll(async () => {
    naive = await runPhase(naivePoller, params, inProcessServer);
  });

  it('the naive poller sees every job complete, one request per started second plus one', () => {
    expectAllCompleted(naive);
    expect(naive.serverRequests).toBe(naive.clientRequests);
    expect(naive.reportedRequests).toBe(naive.clientRequests);
    expect(naive.serverRequests).toBeGreaterThanOrEqual(2 * params.jobs);
  });

  // A long-poll (and a batch long-poll) is answered at every stage change, five per job, so on jobs of
  // 1-2 s it costs about what the naive poller does; the full benchmark (3-30 s jobs) shows the gap.
  it('long-poll: every wait completes and its stats match the server', async () => {
    const result = await runPhase(clientWaiter('long-poll'), params, inProcessServer);
    expectAllCompleted(result);
    expectCountsAgree(result);
    expect(result.reportedRequests).toBe(result.clientRequests);
  });

  it('auto on a multiplexing server: every wait completes over a few shared streams, counted once each', async () => {
    const result = await runPhase(clientWaiter('auto'), params, inProcessServer);
    expectAllCompleted(result);
    expectCountsAgree(result);
    expect(result.clientRequests).toBeLessThan(params.jobs / 2);
    // Each wait reports the stream it rode as a request of its own (and the first also the discovery
    // read), so together they report more than were sent.
    expect(result.reportedRequests).toBeGreaterThanOrEqual(params.jobs);
  });

  it('auto on a server without GET /events?ids=: one stream per wait, its stats matching the server', async () => {
    const waiter = clientWaiter('auto', { multiEvents: false }, ', no multi-events');
    const result = await runPhase(waiter, params, inProcessServer);
    expectAllCompleted(result);
    expectCountsAgree(result);
    expect(result.reportedRequests).toBe(result.clientRequests);
    expect(result.clientRequests).toBeLessThan(naive.clientRequests);
  });

  it('webhook: every wait is ended by its webhook, with no status request', async () => {
    const result = await runPhase(webhookWaiter(), params, inProcessServer);
    expectAllCompleted(result);
    expect(result.serverRequests).toBe(0);
    expect(result.reportedRequests).toBe(0);
  });

  it('webhook with 30% of deliveries cut: every wait still ends right, by webhook or safety net', async () => {
    // Retries after 5 s × the time scale: 50 ms here, so a cut delivery is soon sent again.
    const result = await runPhase(webhookWaiter(0.3), params, (options) =>
      inProcessServer({ ...options, timeScale: 0.01 }),
    );
    expectAllCompleted(result);
    expect(result.reportedRequests).toBe(result.serverRequests);
  });

  it('waitForAll: every job completes and the server counts what the client sent', async () => {
    const result = await runPhase(batchWaiter, params, inProcessServer);
    expectAllCompleted(result);
    expectCountsAgree(result);
  });
});

describe('countWaitRequests', () => {
  it('sums GET and HEAD on the wait routes only, multiplexed streams included', () => {
    const text = [
      '# HELP translation_status_http_requests_total x',
      'translation_status_http_requests_total{method="GET",route="/status",status_code="200"} 5',
      'translation_status_http_requests_total{method="HEAD",route="/jobs/:id",status_code="200"} 2',
      'translation_status_http_requests_total{method="GET",route="/jobs",status_code="429"} 1',
      'translation_status_http_requests_total{method="GET",route="/events",status_code="200"} 4',
      'translation_status_http_requests_total{method="POST",route="/jobs",status_code="201"} 7',
      'translation_status_http_requests_total{method="GET",route="/metrics",status_code="200"} 3',
      'translation_status_long_polls_held 4',
    ].join('\n');
    expect(countWaitRequests(text)).toBe(12);
  });
});
