import { describe, expect, it } from 'vitest';
import { FakeClock } from '../domain/clock.js';
import type { JobInput } from '../domain/plan.js';
import { createRandom } from '../domain/prng.js';
import { InMemoryJobStore } from '../domain/memory-store.js';
import { TimerQueue } from '../domain/timer-queue.js';
import { DEFAULT_CALLBACK_EVENTS, WEBHOOK_EVENT_TYPES } from '../protocol/webhook-event.js';
import { WebhookDispatcher } from './dispatcher.js';
import type { AttemptOutcome } from './retry-schedule.js';
import type { AttemptRequest } from './send.js';

const URL_A = 'http://127.0.0.1:9/a';
const input = (durationMs: number, outcome: 'completed' | 'error' = 'completed'): JobInput => ({
  sourceLanguage: 'en',
  targetLanguage: 'es',
  videoDurationSeconds: 10,
  lipSync: false,
  simulate: { durationMs, outcome },
});

/** A dispatcher on a fake clock whose attempts are answered by `answer`, in turn. */
function setup(answers: readonly AttemptOutcome[]) {
  const clock = new FakeClock();
  const timers = new TimerQueue(clock);
  const store = new InMemoryJobStore({
    clock,
    timers,
    seed: 1,
    model: { timeScale: 1, errorRate: 0, etaError: 0 },
  });
  const sent: AttemptRequest[] = [];
  const counts: string[] = [];
  let next = 0;
  const dispatcher = new WebhookDispatcher({
    store,
    clock,
    timers,
    keys: [Buffer.alloc(32, 1)],
    timeScale: 0.001,
    timeoutMs: 1000,
    random: createRandom(1),
    counters: {
      attempt: (outcome) => counts.push(`attempt:${outcome}`),
      delivery: (outcome) => counts.push(outcome),
    },
    send: (request) => {
      sent.push(request);
      const outcome = answers[Math.min(next, answers.length - 1)] ?? { kind: 'answered', status: 200 };
      next += 1;
      return Promise.resolve(outcome);
    },
  });
  /** Moves time on and lets the attempts' promises settle, step by step. */
  async function run(ms: number): Promise<void> {
    for (let step = 0; step < ms; step += 50) {
      clock.advance(50);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { store, dispatcher, sent, counts, run };
}

const ok: AttemptOutcome = { kind: 'answered', status: 204 };
const down: AttemptOutcome = { kind: 'answered', status: 500 };

describe('WebhookDispatcher', () => {
  it('sends the ending once, signed, with a fresh timestamp and the same id per attempt', async () => {
    const { store, dispatcher, sent, counts, run } = setup([
      down,
      { kind: 'failed', error: 'ECONNRESET' },
      ok,
    ]);
    const job = await store.create(input(1000));
    await dispatcher.register(job, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await run(2000);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((request) => request.headers['webhook-id'])).size).toBe(1);
    expect(sent.every((request) => request.headers['webhook-signature']?.startsWith('v1,'))).toBe(true);
    expect(JSON.parse(sent[0]?.body ?? '')).toMatchObject({
      type: 'job.completed',
      data: { id: job.id, result: 'completed' },
    });
    const [delivery] = await dispatcher.deliveriesOf(job.id);
    expect(delivery).toMatchObject({
      type: 'job.completed',
      url: URL_A,
      state: 'delivered',
      next_attempt_at: null,
    });
    expect(delivery?.attempts.map((attempt) => [attempt.status_code, attempt.error])).toEqual([
      [500, 'HTTP 500: will retry'],
      [null, 'ECONNRESET'],
      [204, null],
    ]);
    expect(counts).toEqual(['attempt:http_error', 'attempt:no_answer', 'attempt:success', 'delivered']);
    expect(store.subscriptionCount).toBe(0); // stopped listening once the job ended
  });

  it('sends every stage when asked, and job.failed for a failure', async () => {
    const { store, dispatcher, sent, run } = setup([ok]);
    const job = await store.create(input(1000, 'error'));
    await dispatcher.register(job, { url: URL_A, events: WEBHOOK_EVENT_TYPES });
    await run(2000);
    const types = sent.map((request) => (JSON.parse(request.body) as { type: string }).type);
    expect(types.at(-1)).toBe('job.failed');
    expect(types.slice(0, -1).every((type) => type === 'job.stage_changed')).toBe(true);
    expect(types.length).toBeGreaterThan(1);
  });

  it('after a 410 sends nothing more to that URL', async () => {
    const { store, dispatcher, sent, counts, run } = setup([{ kind: 'answered', status: 410 }]);
    const first = await store.create(input(100));
    const second = await store.create(input(500));
    await dispatcher.register(first, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await dispatcher.register(second, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await run(2000);
    expect(sent).toHaveLength(1);
    expect(await dispatcher.deliveriesOf(second.id)).toMatchObject([{ state: 'gone', attempts: [] }]);
    expect(counts).toEqual(['attempt:http_error', 'gone', 'gone']);
  });

  it('does not retry a 4xx or a redirect', async () => {
    const { store, dispatcher, sent, run } = setup([{ kind: 'answered', status: 302 }]);
    const job = await store.create(input(100));
    await dispatcher.register(job, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await run(2000);
    expect(sent).toHaveLength(1);
    const [delivery] = await dispatcher.deliveriesOf(job.id);
    expect(delivery).toMatchObject({ state: 'failed', attempts: [{ status_code: 302 }] });
    expect(delivery?.attempts[0]?.error).toMatch(/redirects are not followed/);
  });

  it('gives up after the last attempt of the schedule', async () => {
    const { store, dispatcher, sent, counts, run } = setup([down]);
    const job = await store.create(input(100));
    await dispatcher.register(job, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await run(300_000); // the whole schedule is about 270 s at time scale 0.001
    expect(sent).toHaveLength(10);
    expect(await dispatcher.deliveriesOf(job.id)).toMatchObject([{ state: 'failed' }]);
    expect(counts.at(-1)).toBe('gave_up');
  });

  it('sends at once for a job that ended at creation', async () => {
    const { store, dispatcher, sent, run } = setup([ok]);
    const job = await store.create(input(0));
    await dispatcher.register(job, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await run(50);
    expect(sent).toHaveLength(1);
  });

  it('on close cancels retries and listeners, leaving deliveries pending', async () => {
    const { store, dispatcher, sent, run } = setup([down]);
    const job = await store.create(input(100));
    const other = await store.create(input(60_000));
    await dispatcher.register(job, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await dispatcher.register(other, { url: URL_A, events: DEFAULT_CALLBACK_EVENTS });
    await run(200);
    const before = sent.length;
    await dispatcher.close();
    await run(120_000);
    expect(sent).toHaveLength(before);
    expect(await dispatcher.deliveriesOf(job.id)).toMatchObject([{ state: 'pending' }]);
    expect(store.subscriptionCount).toBe(0);
  });

  it('lists no deliveries for a job without a callback', async () => {
    expect(await setup([]).dispatcher.deliveriesOf('job_x')).toEqual([]);
  });
});
