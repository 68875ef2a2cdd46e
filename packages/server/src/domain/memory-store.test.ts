import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import type { JobResource } from '../protocol/job-resource.js';
import { InMemoryJobStore } from './memory-store.js';

const model = { timeScale: 1, errorRate: 0, etaError: 0.15 };
const input = { sourceLanguage: 'en', targetLanguage: 'fr', videoDurationSeconds: 10, lipSync: false };

function setup() {
  const clock = new FakeClock(0);
  let n = 0;
  const store = new InMemoryJobStore({ clock, model, seed: 1, newId: () => `job_${++n}` });
  return { clock, store };
}

describe('InMemoryJobStore', () => {
  it('creates, gets and batches jobs', async () => {
    const { store } = setup();
    const a = await store.create(input);
    const b = await store.create({ ...input, simulate: { durationMs: 100 } });
    expect(a.id).toBe('job_1');
    expect((await store.get('job_2'))?.id).toBe(b.id);
    expect(await store.get('nope')).toBeUndefined();
    const many = await store.getMany(['job_2', 'nope', 'job_1']);
    expect(many.map((j) => j?.id)).toEqual(['job_2', undefined, 'job_1']);
  });

  it('advances jobs with the clock and notifies subscribers once per change', async () => {
    const { clock, store } = setup();
    const job = await store.create({ ...input, simulate: { durationMs: 1000 } });
    const seen: JobResource[] = [];
    store.subscribe(job.id, (j) => seen.push(j));
    clock.advance(2000);
    expect(seen.map((j) => j.stage)).toEqual([
      'transcribing',
      'translating',
      'voice_synthesis',
      'rendering',
      'done',
    ]);
    expect(seen.map((j) => j.version)).toEqual([2, 3, 4, 5, 6]);
    expect((await store.get(job.id))?.result).toBe('completed');
    expect(clock.pendingTimers).toBe(0);
  });

  it('uses one clock timer however many jobs are live', async () => {
    const { clock, store } = setup();
    for (let i = 0; i < 100; i++) await store.create(input);
    expect(clock.pendingTimers).toBe(1);
  });

  it('counts and lists by result', async () => {
    const { clock, store } = setup();
    await store.create({ ...input, simulate: { durationMs: 10 } });
    await store.create({
      ...input,
      simulate: { durationMs: 10, outcome: 'error', errorCode: 'render_failed' },
    });
    await store.create({ ...input, simulate: { durationMs: 10_000 } });
    clock.advance(100);
    expect(await store.countByResult()).toEqual({ pending: 1, completed: 1, error: 1 });
    expect((await store.list({ result: 'error' })).map((j) => j.id)).toEqual(['job_2']);
    expect((await store.list({ limit: 2 })).map((j) => j.id)).toEqual(['job_3', 'job_2']);
  });

  it('stops notifying after unsubscribe and after close', async () => {
    const { clock, store } = setup();
    const job = await store.create({ ...input, simulate: { durationMs: 1000 } });
    const seen: string[] = [];
    const unsubscribe = store.subscribe(job.id, (j) => seen.push(j.stage));
    clock.advance(100);
    unsubscribe();
    expect(store.subscriptionCount).toBe(0);
    clock.advance(100);
    store.subscribe(job.id, (j) => seen.push(j.stage));
    await store.close();
    clock.advance(10_000);
    expect(seen).toEqual(['transcribing']);
    expect(clock.pendingTimers).toBe(0);
    await expect(store.create(input)).rejects.toThrow(/closed/);
  });

  it('makes the same jobs from the same seed, however often jobs are read in between', async () => {
    const a = setup();
    const b = setup();
    const slow = { ...input, videoDurationSeconds: 100 };
    const first = await a.store.create(slow);
    await b.store.create(slow);
    for (let i = 0; i < 10; i++) await a.store.get(first.id);
    const secondA = await a.store.create(slow);
    const secondB = await b.store.create(slow);
    // Same plan: same stage schedule. eta_ms differs only by read noise (±3%) around the same biased value.
    a.clock.advance(60_000);
    b.clock.advance(60_000);
    const [ja, jb] = [await a.store.get(secondA.id), await b.store.get(secondB.id)];
    expect(ja?.stage).toBe(jb?.stage);
    expect(ja?.progress).toBe(jb?.progress);
  });
});

describe('InMemoryJobStore.cancel', () => {
  it('ends a pending job as canceled, tells its subscribers once, and stops its schedule', async () => {
    const { clock, store } = setup();
    const job = await store.create({ ...input, simulate: { durationMs: 1000 } });
    const seen: JobResource[] = [];
    store.subscribe(job.id, (j) => seen.push(j));
    clock.advance(300);
    const result = await store.cancel(job.id);
    expect(result?.outcome).toBe('canceled');
    expect(result?.job).toMatchObject({ result: 'error', stage: 'canceled', error: { code: 'canceled' } });
    expect(seen.map((j) => j.stage)).toEqual(['transcribing', 'canceled']);
    clock.advance(10_000);
    expect(seen).toHaveLength(2);
    expect((await store.get(job.id))?.version).toBe(result?.job.version);
    expect(await store.countByResult()).toEqual({ pending: 0, completed: 0, error: 1 });
  });

  it('answers a second cancel with the same job, and a finished job as it ended', async () => {
    const { clock, store } = setup();
    const a = await store.create({ ...input, simulate: { durationMs: 1000 } });
    const b = await store.create({ ...input, simulate: { durationMs: 100 } });
    const first = await store.cancel(a.id);
    clock.advance(5000);
    const again = await store.cancel(a.id);
    expect(again).toEqual({ outcome: 'already_canceled', job: first?.job });
    const finished = await store.cancel(b.id);
    expect(finished?.outcome).toBe('finished');
    expect(finished?.job.result).toBe('completed');
    expect(await store.cancel('nope')).toBeUndefined();
  });
});
