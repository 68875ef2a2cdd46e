/**
 * The client against the real server on loopback, used the way the README shows. Each story prints its
 * events as it goes (run with `npx vitest run test/integration` to watch them).
 */
import {
  JobFailedError,
  TranslationClient,
  WaitTimeoutError,
  type TransportMode,
} from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeHandles,
  expectNoLeakedHandles,
  inProcessServer,
  openRequests,
  eventually,
  story,
} from './support.js';

let handlesBefore: Record<string, number>;
let server: RunningServer;
let client: TranslationClient;

beforeAll(async () => {
  handlesBefore = activeHandles();
  // The default job (GET /status) takes 1.2 s; scaled jobs take 1-5 × video length × 0.002.
  server = await inProcessServer({ delayMs: 1200, timeScale: 0.002 });
  client = new TranslationClient({ baseUrl: server.url });
});

afterAll(async () => {
  await server.close();
  await expectNoLeakedHandles(handlesBefore);
});

function newJob(durationMs: number, extra: { outcome?: 'error'; errorCode?: string } = {}) {
  return client.createJob({
    sourceLanguage: 'en',
    targetLanguage: 'es',
    videoDurationSeconds: 90,
    simulate: { durationMs, ...extra },
  });
}

describe('one job', () => {
  it('completes', async () => {
    const s = story('completes');
    const job = await newJob(1500);
    s.log(`created ${job.id}`);
    const { status, stats } = await client.waitForCompletion(job.id, { ...s.callbacks });
    s.log(
      `done: ${stats.requests} requests, ${stats.retries} retries, via ${stats.transport}, ${stats.elapsedMs}ms`,
    );
    expect(status).toMatchObject({ jobId: job.id, result: 'completed', stage: 'done', progress: 1 });
    expect(stats.retries).toBe(0);
    expect(stats.requests).toBeLessThanOrEqual(4);
  });

  it('fails, and the job error reaches the caller', async () => {
    const s = story('fails');
    const job = await newJob(800, { errorCode: 'voice_synthesis_failed' });
    const error: unknown = await client
      .waitForCompletion(job.id, { ...s.callbacks })
      .catch((e: unknown) => e);
    s.log(`rejected: ${String(error)}`);
    expect(error).toBeInstanceOf(JobFailedError);
    const failed = error as JobFailedError;
    expect(failed.code).toBe('job_failed');
    expect(failed.jobErrorCode).toBe('voice_synthesis_failed');
    expect(failed.jobErrorMessage).toBe("The voice model could not reproduce the speaker's voice");
    expect(failed.jobId).toBe(job.id);
    expect(failed.status.stage).toBe('failed');
  });

  it('times out at the deadline', async () => {
    const s = story('timeout');
    const job = await newJob(60_000);
    const started = performance.now();
    const error: unknown = await client
      .waitForCompletion(job.id, { timeoutMs: 700, ...s.callbacks })
      .catch((e: unknown) => e);
    const took = performance.now() - started;
    s.log(`rejected after ${Math.round(took)}ms: ${String(error)}`);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).code).toBe('wait_timeout');
    expect((error as WaitTimeoutError).lastStatus?.result).toBe('pending');
    expect(took).toBeGreaterThanOrEqual(650);
    expect(took).toBeLessThan(700 + 1500);
    await eventually(async () => {
      expect(await openRequests(server.url)).toEqual({ held: 0, streams: 0 });
    });
  });

  it.each<TransportMode>(['sse', 'long-poll'])(
    'is cancelled with an AbortSignal over %s, leaving no request open',
    async (transport) => {
      const s = story(`abort over ${transport}`);
      const job = await newJob(60_000);
      const controller = new AbortController();
      const reason = new Error('the user closed the page');
      const waiting = client.waitForCompletion(job.id, {
        transport,
        signal: controller.signal,
        ...s.callbacks,
        onStatus: (status, info) => {
          s.callbacks.onStatus?.(status, info);
          // Abort once the wait is following the job: a held request or an open stream exists now.
          setTimeout(() => {
            controller.abort(reason);
          }, 200);
        },
      });
      await expect(waiting).rejects.toBe(reason);
      s.log("rejected with the signal's reason");
      await eventually(async () => {
        expect(await openRequests(server.url)).toEqual({ held: 0, streams: 0 });
      });
      s.log('the server holds no request and no stream for it');
    },
  );

  it.each<TransportMode>(['sse', 'long-poll', 'poll'])(
    'is ended by cancelJob over %s: the wait rejects with JobFailedError canceled at once',
    async (transport) => {
      const s = story(`cancelJob over ${transport}`);
      const job = await newJob(60_000);
      const waiting = client
        .waitForCompletion(job.id, {
          transport,
          // Not by the ETA (a minute away): hold at once, or poll every 200 ms, so the test shows the cancel.
          polling: { followEta: false, initialDelayMs: 100, minDelayMs: 100, maxDelayMs: 200 },
          ...s.callbacks,
        })
        .catch((e: unknown) => e);
      await eventually(async () => {
        if (transport === 'poll') return;
        const open = await openRequests(server.url);
        expect(open.held + open.streams).toBe(1);
      });
      const status = await client.cancelJob(job.id);
      const canceledAt = performance.now();
      expect(status).toMatchObject({ result: 'error', stage: 'canceled', error: { code: 'canceled' } });
      const error = await waiting;
      const lateMs = performance.now() - canceledAt;
      s.log(`rejected ${Math.round(lateMs)}ms after the cancel: ${String(error)}`);
      expect(error).toBeInstanceOf(JobFailedError);
      expect((error as JobFailedError).jobErrorCode).toBe('canceled');
      // A held request or stream hears at once; a poll within its (short) interval.
      expect(lateMs).toBeLessThan(transport === 'poll' ? 2000 : 1000);
      expect(await client.cancelJob(job.id)).toMatchObject({ version: status.version });
    },
  );

  it('waits for the default job at GET /status when given no id', async () => {
    const s = story('default job');
    const { status, stats } = await client.waitForCompletion(undefined, { ...s.callbacks });
    s.log(`done via ${stats.transport}`);
    expect(status.result).toBe('completed');
    expect(status.jobId).toMatch(/^job_/);
  });
});

describe('many jobs', () => {
  it('follows one video into three languages with waitForAll', async () => {
    const s = story('three languages');
    const targets = ['es', 'fr', 'de'] as const;
    const jobs = await Promise.all(
      targets.map((targetLanguage) =>
        client.createJob({
          sourceLanguage: 'en',
          targetLanguage,
          videoDurationSeconds: 60,
          ...(targetLanguage === 'fr'
            ? { simulate: { outcome: 'error', errorCode: 'lip_sync_failed' } }
            : {}),
        }),
      ),
    );
    s.log(`created ${jobs.map((j) => j.id).join(', ')}`);
    let requests = 0;
    const settled = await client.waitForAll(
      jobs.map((j) => j.id),
      {
        ...s.callbacks,
        onPoll: (info) => {
          requests += 1;
          s.callbacks.onPoll?.(info);
        },
      },
    );
    expect(settled.map((r) => r.jobId)).toEqual(jobs.map((j) => j.id));
    expect(settled.map((r) => r.ok)).toEqual([true, false, true]);
    const french = settled[1];
    expect(french?.ok === false && french.error instanceof JobFailedError && french.error.jobErrorCode).toBe(
      'lip_sync_failed',
    );
    s.log(`all settled after ${requests} requests`);
  });
});

describe.concurrent('transports', () => {
  it.each<[TransportMode, string]>([
    ['sse', 'sse'],
    ['long-poll', 'long-poll'],
    ['poll', 'poll'],
    ['auto', 'sse'],
  ])('%s follows a job to the end (ends on %s)', async (transport, expected) => {
    const s = story(`transport ${transport}`);
    const job = await newJob(1200);
    const { status, stats } = await client.waitForCompletion(job.id, { transport, ...s.callbacks });
    s.log(`done via ${stats.transport} in ${stats.requests} requests`);
    expect(status.result).toBe('completed');
    expect(stats.transport).toBe(expected);
  });
});
