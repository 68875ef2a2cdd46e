import { describe, expect, it } from 'vitest';
import { parseCapabilities } from '../protocol/capabilities.js';
import { eventStream } from '../test-support/fake-fetch.js';
import { answerJob, drive, harness, type JobScript } from '../test-support/scenario.js';
import { runLoop, stepContext } from '../test-support/watch-context.js';
import { Channels, loadChannelCode, type ChannelCode } from './channels.js';
import { TRANSPORT_RETRY_MS } from './context.js';

const MULTIPLEXING = 'long-poll; max-wait=30, events; heartbeat-ms=15000, multi-events; max-ids=100';

/** A watch on `channels`, on a server that announced shared streams and holds, with job `script`. */
function watchOn(channels: Channels, script: JobScript, answer = answerJob) {
  const h = harness((request, clock) => answer(clock, script, request));
  const { ctx, state } = stepContext(h);
  ctx.deps.server.capabilities = parseCapabilities(MULTIPLEXING);
  return { h, ctx: { ...ctx, deps: { ...ctx.deps, channels } }, state };
}

describe('Channels', () => {
  it.each([
    // batchMaxIds, kind, refused
    [100, 'multi', false],
    [100, 'batch', false],
    [100, 'sse', false],
    [0, 'batch', true], // the client does not batch
    [0, 'multi', false],
    [0, 'long-poll', false], // a wait's own transports are never refused here
  ] as const)('with batchMaxIds %d, %s is refused at first: %s', (batchMaxIds, kind, refused) => {
    expect(new Channels(batchMaxIds).refuses(kind, 0)).toBe(refused);
  });

  it('refuses a kind until the longest refusal given ends', () => {
    const channels = new Channels(100);
    channels.refuse('multi', 1_000, 0);
    channels.refuse('multi', 500, 100); // ends earlier: the first still holds
    expect([999, 1_000].map((now) => channels.refuses('multi', now))).toEqual([true, false]);
    expect(channels.refuses('batch', 500)).toBe(false);
  });

  it('code that does not load: the wait falls back to its own long-poll, the others are told once', async () => {
    let loads = 0;
    const channels = new Channels(100, () => {
      loads += 1;
      return Promise.reject(new Error('chunk failed to load'));
    });
    const first = watchOn(channels, { doneAt: 20_000, longPoll: true });
    const status = await drive(first.h.clock, runLoop(first.ctx, first.state));
    expect(status.result).toBe('completed');
    expect(first.state.transport).toBe('long-poll');
    // No stream was asked for: the multiplexed stream, then the job's own, were refused in turn.
    expect(first.h.requests.every((r) => r.url.pathname === '/jobs/job_1')).toBe(true);
    expect(loads).toBeGreaterThanOrEqual(2); // prefetched, then followed
    // Refused from the failure (at 0) for every kind, for TRANSPORT_RETRY_MS.
    const kinds = ['multi', 'batch', 'sse'] as const;
    expect(kinds.map((k) => channels.refuses(k, first.h.clock.now()))).toEqual([true, true, true]);
    expect(kinds.map((k) => channels.refuses(k, TRANSPORT_RETRY_MS))).toEqual([false, false, false]);
    const warnings = first.h.logs.filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.message)).toEqual([
      'the channel code did not load: waits use their own long-poll or polling for 30 s',
    ]);
    expect(warnings[0]?.fields).toEqual({ error: 'Error: chunk failed to load' });
  });

  it('is tried again once the refusal ends', async () => {
    let fail = true;
    let loads = 0;
    const channels = new Channels(100, () => {
      loads += 1;
      return fail ? Promise.reject(new Error('offline')) : loadChannelCode();
    });
    const first = watchOn(channels, { doneAt: 1_000, longPoll: true });
    await drive(first.h.clock, runLoop(first.ctx, first.state));
    const loadsBefore = loads;
    fail = false;
    // A later wait, after the refusal: it loads the code and takes the shared stream.
    const stream = eventStream();
    const later = watchOn(channels, { doneAt: 0, longPoll: true }, (clock, script, request) =>
      request.url.pathname === '/events'
        ? Promise.resolve(stream.response)
        : answerJob(clock, script, request),
    );
    await later.h.clock.advance(first.h.clock.now() + TRANSPORT_RETRY_MS);
    const waited = runLoop(later.ctx, later.state);
    stream.send(
      `id: 2\nevent: status\ndata: ${JSON.stringify({ id: 'job_1', result: 'completed', version: 2 })}\n\n`,
    );
    expect((await drive(later.h.clock, waited)).result).toBe('completed');
    expect(loads).toBeGreaterThan(loadsBefore);
    expect(later.h.requests.map((r) => r.url.pathname)).toEqual(['/events']);
  });

  it('a wait that takes a channel before the code has loaded goes on once it has', async () => {
    let release: (code: ChannelCode) => void = () => undefined;
    const late = new Promise<ChannelCode>((resolve) => {
      release = resolve;
    });
    const channels = new Channels(100, () => late);
    const stream = eventStream();
    const { h, ctx, state } = watchOn(channels, { doneAt: 0 }, () => Promise.resolve(stream.response));
    const waited = runLoop(ctx, state);
    await Promise.resolve();
    expect(h.requests).toEqual([]); // nothing sent before the code is there
    release(await loadChannelCode());
    stream.send(
      `id: 2\nevent: status\ndata: ${JSON.stringify({ id: 'job_1', result: 'completed', version: 2 })}\n\n`,
    );
    expect((await drive(h.clock, waited)).result).toBe('completed');
    expect(h.requests.map((r) => r.url.pathname)).toEqual(['/events']);
  });
});
