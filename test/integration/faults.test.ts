/**
 * A server that misbehaves on purpose (server.md, Fault injection): every wait must still end with
 * the job's real outcome, retrying what is transient.
 */
import { JobFailedError, TranslationClient, type TransportMode } from '@translation-status/client';
import type { BuildAppOptions, RunningServer } from '@translation-status/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer, serversCheckedForLeaks, story } from './support.js';

const servers = serversCheckedForLeaks();

const FAULTS: [string, BuildAppOptions, TransportMode][] = [
  ['500/503 errors', { faultErrorRate: 0.3 }, 'poll'],
  ['429 throttling', { faultThrottleRate: 0.3 }, 'long-poll'],
  ['dropped connections', { faultDropRate: 0.3 }, 'auto'],
  ['hung requests', { faultHangRate: 0.3 }, 'poll'],
  ['added latency', { faultLatencyMs: 150 }, 'auto'],
];

describe.concurrent.each(FAULTS)('a server with %s', (name, faults, transport) => {
  let server: RunningServer;
  let client: TranslationClient;

  beforeAll(async () => {
    server = await inProcessServer({ ...faults, seed: 7 });
    servers.push(server);
    client = new TranslationClient({
      baseUrl: server.url,
      transport,
      // Hung requests are cut short; retries back off quickly so the story stays short.
      requestTimeoutMs: 400,
      retry: { baseDelayMs: 50, maxDelayMs: 400 },
      polling: { initialDelayMs: 200, minDelayMs: 100, maxDelayMs: 800 },
      logLevel: 'silent',
    });
  });

  it(`still sees the job complete (${transport})`, async () => {
    const s = story(`${name}: completes`);
    const job = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 30,
      simulate: { durationMs: 1500 },
    });
    const { status, stats } = await client.waitForCompletion(job.id, { ...s.callbacks });
    s.log(`done: ${stats.requests} requests, ${stats.retries} retries, via ${stats.transport}`);
    expect(status.result).toBe('completed');
  });

  it(`still reports the job's failure (${transport})`, async () => {
    const s = story(`${name}: fails`);
    const job = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 30,
      simulate: { durationMs: 1500, errorCode: 'render_failed' },
    });
    const error: unknown = await client
      .waitForCompletion(job.id, { ...s.callbacks })
      .catch((e: unknown) => e);
    s.log(`rejected: ${error instanceof JobFailedError ? error.jobErrorCode : String(error)}`);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).jobErrorCode).toBe('render_failed');
  });
});
