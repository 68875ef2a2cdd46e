import { describe, expect, it } from 'vitest';
import { eventStream, json } from '../../test-support/fake-fetch.js';
import { drive, harness, tick } from '../../test-support/scenario.js';
import { runSharedStep, stepContext } from '../../test-support/watch-context.js';
import type { StreamHub } from '../stream-hub.js';
import type { StepContext } from '../context.js';
import type { WatchState } from '../state.js';

const signal = new AbortController().signal;
const frame = (version: number, result: string): string =>
  `id: ${version}\nevent: status\ndata: ${JSON.stringify({ id: 'job_1', result, version })}\n\n`;

/** A job's own event stream: a channel of one job of the hub, followed by the channel step. */
const streamStep = (...[ctx, state, signal, hub]: [StepContext, WatchState, AbortSignal, StreamHub]) =>
  runSharedStep(ctx, state, 'sse', hub, signal);

describe("a job's own event stream", () => {
  it('follows the stream to the terminal event, resuming after the last version known', async () => {
    const stream = eventStream();
    const h = harness(() => stream.response);
    const { ctx, state, hub, told } = stepContext(h, { settings: { transport: 'sse' } });
    state.lastEventId = '1';
    const step = streamStep(ctx, state, signal, hub);
    while (h.requests.length === 0) await tick();
    stream.send(frame(2, 'pending'));
    stream.send(frame(3, 'completed'));
    await step;
    expect(h.requests[0]?.url.pathname).toBe('/jobs/job_1/events');
    expect(h.requests[0]?.headers.get('last-event-id')).toBe('1');
    expect(told.statuses.map((s) => s.result)).toEqual(['pending', 'completed']);
    expect(stream.cancelled).toBe(true);
  });

  it('a stream that breaks after delivering is retried under the retry policy, resuming from its last event', async () => {
    const first = eventStream();
    const second = eventStream();
    const h = harness(() => (h.requests.length === 1 ? first.response : second.response));
    const { ctx, state, hub } = stepContext(h, { settings: { transport: 'sse' } });
    const step = streamStep(ctx, state, signal, hub);
    while (h.requests.length === 0) await tick();
    first.send(frame(2, 'pending'));
    await tick();
    first.fail(new Error('reset'));
    while (h.requests.length < 2) if (!(await h.clock.advanceToNext())) await tick();
    second.send(frame(3, 'completed'));
    await drive(h.clock, step);
    expect(state.streamDelivered).toBe(true);
    expect(state.streamFailures).toBe(1);
    expect(state.unavailable?.has('sse')).not.toBe(true);
    expect(state.counters.retries).toBe(1);
    expect(h.requests[1]?.headers.get('last-event-id')).toBe('2');
    expect(state.status?.result).toBe('completed');
  });

  it('a stream that never delivered is given up after its second broken attempt', async () => {
    const h = harness(() => json({ error: { code: 'busy' } }, 503));
    const { ctx, state, hub } = stepContext(h, { settings: { transport: 'sse' } });
    await drive(h.clock, streamStep(ctx, state, signal, hub));
    expect(h.requests).toHaveLength(2);
    expect(state.unavailable?.has('sse')).toBe(true);
    // Given up for a while only: a 503 may be a server restarting.
    expect(state.unavailable?.get('sse')).toBe(h.clock.now() + 30_000);
  });

  it('an events URL that is not a stream is given up at once', async () => {
    const h = harness(() => json({ result: 'pending' }));
    const { ctx, state, hub } = stepContext(h, { settings: { transport: 'sse' } });
    await drive(h.clock, streamStep(ctx, state, signal, hub));
    expect(state.unavailable?.has('sse')).toBe(true);
    expect(h.logs.some((l) => l.level === 'warn' && l.message === 'sse unavailable, falling back')).toBe(
      true,
    );
  });

  it.each([
    ['a fresh stream', undefined],
    ['a resumed stream (not even `retry:`)', '1'],
  ])(
    '%s silent after its headers is cut after one request timeout, twice, then given up',
    async (_name, last) => {
      const h = harness(() => eventStream().response);
      const { ctx, state, hub } = stepContext(h, { settings: { transport: 'sse', requestTimeoutMs: 1_000 } });
      state.lastEventId = last;
      await drive(h.clock, streamStep(ctx, state, signal, hub));
      expect(h.requests).toHaveLength(2);
      // The first connection is cut at 1 s, the second one a backoff later, after 1 s more.
      expect(h.times()[0]).toBe(0);
      expect(h.clock.now() - (h.times()[1] ?? 0)).toBe(1_000);
      expect(state.streamFailures).toBe(2);
      expect(state.unavailable?.has('sse')).toBe(true);
    },
  );

  it('a resumed stream that sent `retry:` waits for the heartbeat, not a request timeout', async () => {
    const abort = new AbortController();
    const signal = abort.signal;
    const stream = eventStream();
    const h = harness(() => stream.response);
    const { ctx, state, hub } = stepContext(h, { settings: { transport: 'sse', requestTimeoutMs: 1_000 } });
    state.lastEventId = '1';
    const step = streamStep(ctx, state, signal, hub).catch((e: unknown) => e);
    while (h.requests.length === 0) await tick();
    stream.send('retry: 1000\n\n');
    while (h.requests.length === 1) if (!(await h.clock.advanceToNext())) await tick();
    // Silent for the 15 s heartbeat + 3 s, then reconnected after the stream's `retry:` of 1 s.
    expect(h.times()).toEqual([0, 19_000]);
    abort.abort();
    await drive(h.clock, step);
  });

  it('silent past the job ETA plus grace, the stream is checked by a plain read that sees the end', async () => {
    const stream = eventStream();
    const h = harness((request, clock) =>
      request.url.pathname.endsWith('/events')
        ? stream.response
        : json({ id: 'job_1', result: clock.now() >= 4_000 ? 'completed' : 'pending', version: 3 }),
    );
    const { ctx, state, hub } = stepContext(h, { settings: { transport: 'sse', requestTimeoutMs: 1_000 } });
    const step = streamStep(ctx, state, signal, hub);
    while (h.requests.length === 0) await tick();
    stream.send(
      `id: 2\nevent: status\ndata: ${JSON.stringify({ id: 'job_1', result: 'pending', version: 2, eta_ms: 3_000 })}\n\n`,
    );
    await drive(h.clock, step);
    expect(h.times()).toEqual([0, 4_000]); // 3 s ETA + 1 s grace
    expect(state.status?.result).toBe('completed');
    expect(stream.cancelled).toBe(true);
  });
});
