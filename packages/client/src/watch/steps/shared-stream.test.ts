import { describe, expect, it } from 'vitest';
import { parseCapabilities } from '../../protocol/capabilities.js';
import { eventStream, json } from '../../test-support/fake-fetch.js';
import { drive, harness, runUntil, tick } from '../../test-support/scenario.js';
import { testClient } from '../../test-support/test-client.js';
import { runSharedStep, stepContext } from '../../test-support/watch-context.js';

const pendingOf = (id: string, version: number, etaMs: number): string =>
  `id: ${version}\nevent: status\ndata: ${JSON.stringify({ id, result: 'pending', version, eta_ms: etaMs })}\n\n`;
const pending = (version: number, etaMs: number): string =>
  `id: ${version}\nevent: status\ndata: ${JSON.stringify({ id: 'job_1', result: 'pending', version, eta_ms: etaMs })}\n\n`;

/** A step context and a hub, on a server that announced shared streams. */
function sharedContext(h: ReturnType<typeof harness>, followsStages = false) {
  const { ctx, state, hub } = stepContext(h, { settings: { requestTimeoutMs: 1_000 }, followsStages });
  ctx.deps.server.capabilities = parseCapabilities('events; heartbeat-ms=15000, multi-events; max-ids=100');
  return { ctx, state, hub };
}

/** Runs the clock on (the hub places joiners on a timer) until `n` requests were sent. */
async function untilRequests(h: ReturnType<typeof harness>, n: number): Promise<void> {
  for (let i = 0; i < 1000 && h.requests.length < n; i++) if (!(await h.clock.advanceToNext())) await tick();
}

describe('sharedStep on a stream', () => {
  it('silent past the job ETA plus grace, a shared stream is checked by a plain read that sees the end', async () => {
    const stream = eventStream();
    const h = harness((request, clock) =>
      request.url.pathname === '/events'
        ? stream.response
        : json({ id: 'job_1', result: clock.now() >= 4_000 ? 'completed' : 'pending', version: 5 }),
    );
    const { ctx, state, hub } = sharedContext(h);
    const step = runSharedStep(ctx, state, 'multi', hub);
    await untilRequests(h, 1);
    stream.send(pending(2, 3_000));
    await drive(h.clock, step);
    expect(h.requests.map((r) => r.url.pathname)).toEqual(['/events', '/jobs/job_1']);
    expect(h.times()).toEqual([0, 4_000]); // 3 s ETA + 1 s grace
    expect(state.status?.result).toBe('completed');
    expect(stream.cancelled).toBe(true);
  });

  it('a stream of every stage is hedged too: a plain read that sees a version it missed cuts it', async () => {
    const stream = eventStream();
    const h = harness((request) =>
      request.url.pathname === '/events'
        ? stream.response
        : json({ id: 'job_1', result: 'pending', version: 3, eta_ms: 5_000 }),
    );
    const { ctx, state, hub } = sharedContext(h, true);
    const step = runSharedStep(ctx, state, 'multi', hub);
    await untilRequests(h, 1);
    stream.send(pending(2, 3_000));
    await drive(h.clock, step);
    expect(h.times()).toEqual([0, 4_000]);
    expect(state.status?.version).toBe(3);
    expect(stream.cancelled).toBe(true);
  });

  it('a stream of endings only is not cut because the plain read shows a later pending version', async () => {
    const stream = eventStream();
    const h = harness((request, clock) =>
      request.url.pathname === '/events'
        ? stream.response
        : json({ id: 'job_1', result: 'pending', version: 4, eta_ms: 10_000 - clock.now() }),
    );
    const { ctx, state, hub } = sharedContext(h);
    const step = runSharedStep(ctx, state, 'multi', hub);
    await untilRequests(h, 1);
    stream.send(pending(2, 3_000));
    // The hedge reads at 4 s: pending at version 4 (stages the stream does not send), due at 10 s.
    await untilRequests(h, 2);
    expect(stream.cancelled).toBe(false);
    stream.send(
      `id: 6\nevent: status\ndata: ${JSON.stringify({ id: 'job_1', result: 'completed', version: 6 })}\n\n`,
    );
    await drive(h.clock, step);
    expect(state.status?.result).toBe('completed');
    expect(h.requests.filter((r) => r.url.pathname === '/events')).toHaveLength(1);
  });

  it('a stream that fails in a way nobody foresaw gives its job back to its own transports', async () => {
    const stream = eventStream();
    const h = harness(() => stream.response);
    const { ctx, state, hub } = sharedContext(h);
    // A listener that throws stands for the unforeseen (the waits' own callbacks are guarded).
    const throwing = {
      ...ctx,
      listener: {
        ...ctx.listener,
        onStatus: () => {
          throw new Error('unforeseen');
        },
      },
    };
    const step = runSharedStep(throwing, state, 'multi', hub);
    await untilRequests(h, 1);
    stream.send(pending(2, 3_000));
    await drive(h.clock, step);
    expect(state.unavailable?.has('multi')).toBe(true);
    expect(stream.cancelled).toBe(true);
  });

  it('a shared stream whose server goes down before its first event is retried, not given up', async () => {
    const first = eventStream();
    const back = eventStream();
    let streams = 0;
    const h = harness((request, clock) => {
      if (request.url.pathname !== '/events') return json({ id: 'job_1', result: 'pending', version: 1 });
      streams += 1;
      // Connects (a moment after the channel began), then the server goes away.
      if (streams === 1) return clock.sleep(50).then(() => first.response);
      if (streams <= 3) throw new TypeError('fetch failed'); // down: nothing answers
      return back.response;
    });
    const { ctx, state, hub } = sharedContext(h);
    const step = runSharedStep(ctx, state, 'multi', hub);
    await untilRequests(h, 1);
    await h.clock.advance(50);
    first.fail(new Error('connection reset'));
    back.send(
      `id: 2\nevent: status\ndata: ${JSON.stringify({ id: 'job_1', result: 'completed', version: 2 })}\n\n`,
    );
    await drive(h.clock, step);
    expect(state.status?.result).toBe('completed');
    expect(state.unavailable?.has('multi')).not.toBe(true);
    expect(h.requests.map((r) => r.url.pathname)).toEqual(['/events', '/events', '/events', '/events']);
  });

  it('while its stream is down and nothing answers, one hedge reads for the channel, not one per wait', async () => {
    const ids = ['a', 'b', 'c'];
    const stream = eventStream();
    let down = false;
    let opened = 0;
    const h = harness((request, clock) => {
      if (down) throw new TypeError('fetch failed'); // the server is gone: nothing answers
      // The first stream, then a fresh one per reconnect (quiet: the hedges see the ends).
      if (request.url.pathname === '/events') return (opened++ === 0 ? stream : eventStream()).response;
      const id = request.url.pathname.split('/')[2] ?? '';
      return json({ id, result: clock.now() >= 20_000 ? 'completed' : 'pending', version: 1 }, 200, {
        'status-capabilities': 'events; heartbeat-ms=15000, multi-events; max-ids=100',
      });
    });
    // Retries back off (0 would retry at once); the hedge's grace is a request timeout.
    const client = testClient(h, { random: () => 0.5, requestTimeoutMs: 1_000 });
    await client.getStatus('a'); // the server is met: the waits go to one shared stream at once
    const stop = new AbortController();
    const waits = Promise.allSettled(
      ids.map((id) => client.waitForCompletion(id, { timeoutMs: 60_000, signal: stop.signal })),
    );
    await untilRequests(h, 2);
    for (const id of ids) stream.send(pendingOf(id, 2, 3_000));
    await runUntil(h.clock, 500); // the events are read
    down = true;
    stream.fail(new TypeError('connection reset'));
    // Past every job's ETA plus grace (4 s) and on to 10 s, the server still down.
    await runUntil(h.clock, 10_000);
    const hedged = new Set(
      h.requests
        .filter((r) => r.at >= 4_000 && r.url.pathname.startsWith('/jobs/'))
        .map((r) => r.url.pathname),
    );
    expect([...hedged]).toEqual(['/jobs/a']); // the channel's first member, standing for them all
    stop.abort(new Error('done'));
    expect((await waits).map((w) => w.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
