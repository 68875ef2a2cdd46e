import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors/index.js';
import type { ManualClock } from '../common/clock.js';
import { json, type RecordedRequest } from '../test-support/fake-fetch.js';
import { drive, harness, jobBody, runUntil, type Harness } from '../test-support/scenario.js';
import { testClient } from '../test-support/test-client.js';

const CAPABILITIES = 'long-poll; max-wait=30, batch';

/**
 * A server with the batch endpoint and holds but no multiplexed stream: each job ends at its time in
 * `ends` (unknown ids are `job_not_found`); a held batch is answered when a listed job ends (or, without
 * `wake=result`, when any listed one is past the version sent), or after its hold.
 */
function batchServer(
  ends: Record<string, number>,
  options: { eta?: boolean; batch?: (request: RecordedRequest) => Response | undefined } = {},
): Harness {
  const body = (id: string, clock: ManualClock) =>
    jobBody({ id, doneAt: ends[id] ?? 0, eta: options.eta ?? false }, clock.now());
  return harness(async (request, clock) => {
    const headers = { 'status-capabilities': CAPABILITIES };
    const ids = request.url.searchParams.get('ids')?.split(',');
    const wait = /wait=(\d+)/.exec(request.headers.get('prefer') ?? '')?.[1];
    const hold = async (listed: readonly string[]) => {
      if (wait === undefined) return;
      const soonest = Math.min(...listed.filter((id) => id in ends).map((id) => ends[id] ?? 0));
      await clock.sleep(Math.max(0, Math.min(soonest - clock.now(), Number(wait) * 1000)), request.signal);
    };
    const applied = wait === undefined ? {} : { 'preference-applied': `wait=${wait}` };
    if (ids === undefined) {
      const id = request.url.pathname.split('/')[2] ?? '';
      await hold([id]);
      return json(body(id, clock), 200, { ...headers, ...applied });
    }
    const refused = options.batch?.(request);
    if (refused !== undefined) return refused;
    await hold(ids);
    const jobs = ids.map((id) =>
      id in ends
        ? { id, job: body(id, clock) }
        : { id, error: { code: 'job_not_found', message: `no job '${id}'` } },
    );
    return json({ jobs }, 200, { ...headers, ...applied });
  });
}

const batches = (h: Harness) => h.requests.filter((r) => r.url.searchParams.has('ids'));
const idsOf = (r: RecordedRequest) => r.url.searchParams.get('ids');

describe('held batches shared by separate waits (a server with batch, no multi-events)', () => {
  it('waits started together share one batch: a plain read, then holds waking on results', async () => {
    const h = batchServer({ a: 2_000, b: 5_000, c: 9_000 });
    const client = testClient(h);
    await client.getStatus('a'); // meets the server
    const done = await drive(h.clock, Promise.all(['a', 'b', 'c'].map((id) => client.waitForCompletion(id))));
    expect(done.map((d) => [d.status.result, d.stats.transport])).toEqual([
      ['completed', 'long-poll'],
      ['completed', 'long-poll'],
      ['completed', 'long-poll'],
    ]);
    // Every request after the first is a batch: the plain one, then one hold per ending.
    expect(h.requests).toHaveLength(1 + batches(h).length);
    expect(batches(h).map(idsOf)).toEqual(['a,b,c', 'a,b,c', 'b,c', 'c']);
    expect(batches(h).map((r) => r.at)).toEqual([0, 0, 2_000, 5_000]);
    expect(
      batches(h)
        .slice(1)
        .every((r) => r.url.searchParams.get('wake') === 'result'),
    ).toBe(true);
    // Each wait counts the requests made while it was on the batch, as its own long-poll would.
    expect(done.map((d) => d.stats.requests)).toEqual([2, 3, 4]);
  });

  it('sizes the hold from the job due first: its ETA plus grace', async () => {
    const h = batchServer({ a: 3_000, b: 20_000 }, { eta: true });
    const client = testClient(h);
    await client.getStatus('a');
    await drive(h.clock, Promise.all(['a', 'b'].map((id) => client.waitForCompletion(id))));
    const prefers = batches(h).map((r) => r.headers.get('prefer'));
    // a is due at 3 s (+1 s grace): 4 s; then b, due at 20 s (+4 s grace), within the 30 s cap: 22 s left.
    expect(prefers.slice(0, 3)).toEqual([null, 'wait=4', 'wait=21']);
  });

  it('follows the stages with versions instead of wake=result when a wait has onStatus', async () => {
    const h = batchServer({ a: 2_000, b: 5_000 });
    const client = testClient(h);
    await client.getStatus('a');
    const seen: string[] = [];
    await drive(
      h.clock,
      Promise.all(
        ['a', 'b'].map((id) =>
          client.waitForCompletion(id, { onStatus: (s) => seen.push(`${id}:${s.result}`) }),
        ),
      ),
    );
    const held = batches(h).filter((r) => r.headers.get('prefer') !== null);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((r) => r.url.searchParams.get('wake') === null)).toBe(true);
    expect(held[0]?.url.searchParams.get('versions')).toBe('1,1');
    expect(seen).toContain('a:completed');
    expect(seen).toContain('b:completed');
  });

  it('a job the server does not know fails its own wait with 404; the others go on', async () => {
    const h = batchServer({ a: 2_000, b: 3_000 });
    const client = testClient(h);
    await client.getStatus('a');
    const outcomes = await drive(
      h.clock,
      Promise.allSettled(['a', 'nope', 'b'].map((id) => client.waitForCompletion(id))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (outcomes[1] as PromiseRejectedResult).reason as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect([error.status, error.serverCode, error.jobId]).toEqual([404, 'job_not_found', 'nope']);
    // The unknown job was told by the first, plain, read; the holds went on without it.
    expect(batches(h).map(idsOf)).toEqual(['a,nope,b', 'a,b', 'b']);
  });

  it('one wait aborted leaves the batch; the others go on and keep their own deadlines', async () => {
    const h = batchServer({ a: 20_000, b: 30_000, c: 120_000 });
    const client = testClient(h);
    await client.getStatus('a');
    const controller = new AbortController();
    const reason = new Error('no longer needed');
    const a = client.waitForCompletion('a', { signal: controller.signal }).catch((e: unknown) => e);
    const b = client.waitForCompletion('b');
    const c = client.waitForCompletion('c', { timeoutMs: 40_000 }).catch((e: unknown) => e);
    await runUntil(h.clock, 5_000);
    controller.abort(reason);
    expect(await a).toBe(reason);
    expect((await drive(h.clock, b)).status.result).toBe('completed');
    const timedOut = await drive(h.clock, c);
    expect((timedOut as Error).name).toBe('WaitTimeoutError');
    expect(h.clock.now()).toBe(40_000);
    // After the abort, the batch was re-sent without a.
    expect(batches(h).map(idsOf)).toContain('b,c');
    expect(h.clock.pendingSleeps).toBe(0);
  });

  it.each([400, 404, 405, 501])(
    'a batch route that answers %i: every wait falls back to its own long-poll, later ones too',
    async (status) => {
      const h = batchServer(
        { a: 2_000, b: 3_000 },
        { batch: () => json({ error: { code: 'route_not_found', message: 'no' } }, status) },
      );
      const client = testClient(h);
      await client.getStatus('a');
      const done = await drive(h.clock, Promise.all(['a', 'b'].map((id) => client.waitForCompletion(id))));
      expect(done.map((d) => [d.status.result, d.stats.transport])).toEqual([
        ['completed', 'long-poll'],
        ['completed', 'long-poll'],
      ]);
      await drive(h.clock, client.waitForCompletion('a'));
      expect(batches(h)).toHaveLength(1);
      expect(h.logs.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    },
  );

  it('a batch answer not understood: the same fallback', async () => {
    const h = batchServer({ a: 2_000, b: 3_000 }, { batch: () => json({ items: [] }) });
    const client = testClient(h);
    await client.getStatus('a');
    const done = await drive(h.clock, Promise.all(['a', 'b'].map((id) => client.waitForCompletion(id))));
    expect(done.map((d) => d.stats.transport)).toEqual(['long-poll', 'long-poll']);
    expect(batches(h)).toHaveLength(1);
    expect(h.logs.some((l) => l.message?.includes('batch unavailable'))).toBe(true);
  });

  it('a server that claims to hold but answers at once is not turned into a busy loop', async () => {
    const h = batchServer(
      { a: 2_000, b: 3_000 },
      {
        batch: (request) =>
          request.headers.get('prefer') === null
            ? undefined
            : json(
                {
                  jobs: (idsOf(request) ?? '')
                    .split(',')
                    .map((id) => ({ id, job: jobBody({ id, doneAt: 60_000 }, 0) })),
                },
                200,
                { 'status-capabilities': CAPABILITIES, 'preference-applied': 'wait=30' },
              ),
      },
    );
    const client = testClient(h, { requestTimeoutMs: 1_000 });
    await client.getStatus('a');
    const waits = Promise.all(['a', 'b'].map((id) => client.waitForCompletion(id, { timeoutMs: 5_000 })));
    await drive(h.clock, waits).catch(() => undefined);
    const held = batches(h).filter((r) => r.headers.get('prefer') !== null);
    // At least the busy-loop guard's pause between two unchanged answers.
    const gaps = held.slice(1).map((r, i) => r.at - (held[i]?.at ?? 0));
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((g) => g >= 100)).toBe(true);
  });
});
