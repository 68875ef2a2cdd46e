/**
 * Separate waits on one client share held batch reads (`GET /jobs?ids=` with `Prefer: wait`) on a
 * server with the batch endpoint but no multiplexed stream: the real server on loopback, the client's
 * requests recorded by a wrapper around `fetch` (which can also refuse the route, as a proxy would).
 */
import { WaitTimeoutError } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { describe, expect, it } from 'vitest';
import {
  expectUnknownJobFailsAlone,
  inProcessServer,
  jobLasting as job,
  recordingClient,
  serversCheckedForLeaks,
  type Sent,
} from './support.js';

const servers = serversCheckedForLeaks();

/** `--no-multi-events`, and by default no event streams either, so separate waits would long-poll. */
async function server(options: Parameters<typeof inProcessServer>[0] = {}): Promise<RunningServer> {
  const s = await inProcessServer({ multiEvents: false, events: false, ...options });
  servers.push(s);
  return s;
}

const isBatch = (r: Sent): boolean => r.url.pathname === '/jobs' && r.url.searchParams.has('ids');

describe.concurrent('separate waits on a server with batches but no multiplexed stream', () => {
  it('share held batches: the waits started together cost one batch read at a time', async () => {
    const s = await server();
    const ids = await Promise.all([600, 800, 1000, 1200].map((ms) => job(s, ms)));
    const { client, sent } = recordingClient(s);
    await client.getStatus(ids[0]); // the server is met: the waits go to a batch at once
    const done = await Promise.all(ids.map((id) => client.waitForCompletion(id)));
    expect(done.map((d) => [d.status.result, d.stats.transport])).toEqual(
      ids.map(() => ['completed', 'long-poll']),
    );
    const batches = sent.filter(isBatch);
    expect(sent).toHaveLength(1 + batches.length);
    expect(batches[0]?.url.searchParams.get('ids')?.split(',')).toEqual(ids);
    // A plain read, then holds that wake on results: at most one per ending.
    expect(batches.length).toBeLessThanOrEqual(1 + ids.length);
    expect(
      batches.slice(1).every((r) => r.prefer !== null && r.url.searchParams.get('wake') === 'result'),
    ).toBe(true);
  });

  it('one wait aborted leaves the batch; the others go on', async () => {
    const s = await server();
    const ids = [await job(s, 60_000), await job(s, 800), await job(s, 1000)];
    const { client, sent } = recordingClient(s);
    await client.getStatus(ids[0]);
    const controller = new AbortController();
    const waits = ids.map((id, i) =>
      client.waitForCompletion(id, i === 0 ? { signal: controller.signal } : {}),
    );
    controller.abort(new Error('not needed'));
    await expect(waits[0]).rejects.toThrow('not needed');
    const rest = await Promise.all(waits.slice(1));
    expect(rest.map((d) => d.status.result)).toEqual(['completed', 'completed']);
    expect(sent.filter(isBatch).every((r) => !r.url.searchParams.get('ids')?.includes(ids[0] ?? ''))).toBe(
      true,
    );
  });

  it('a job the server does not know fails its own wait with 404 job_not_found; the others go on', async () => {
    const s = await server();
    const ids = [await job(s, 300), await job(s, 400)];
    const { client, sent } = recordingClient(s);
    await client.getStatus(ids[0]);
    await expectUnknownJobFailsAlone(client, ids);
    expect(sent.filter(isBatch)[0]?.url.searchParams.get('ids')?.split(',')).toEqual(['job_nope', ...ids]);
  });

  it('waits sharing a batch keep their own deadlines', async () => {
    const s = await server();
    const [slow, quick] = [await job(s, 60_000), await job(s, 1500)];
    const { client } = recordingClient(s);
    await client.getStatus(slow);
    const [timedOut, completed] = await Promise.allSettled([
      client.waitForCompletion(slow, { timeoutMs: 500 }),
      client.waitForCompletion(quick, { timeoutMs: 20_000 }),
    ]);
    expect(timedOut.status === 'rejected' && timedOut.reason).toBeInstanceOf(WaitTimeoutError);
    expect(completed.status === 'fulfilled' && completed.value.status.result).toBe('completed');
  });

  it('a batch route refused: the waits fall back to their own long-polls, and later waits skip it', async () => {
    const s = await server();
    const ids = [await job(s, 600), await job(s, 800)];
    const { client, sent } = recordingClient(s, (request, response) =>
      isBatch(request) ? new Response('nope', { status: 405 }) : response,
    );
    await client.getStatus(ids[0]);
    const done = await Promise.all(ids.map((id) => client.waitForCompletion(id)));
    expect(done.map((d) => [d.status.result, d.stats.transport])).toEqual([
      ['completed', 'long-poll'],
      ['completed', 'long-poll'],
    ]);
    expect(sent.filter(isBatch)).toHaveLength(1);
    await client.waitForCompletion(await job(s, 200));
    expect(sent.filter(isBatch)).toHaveLength(1);
  });

  it('waitForAll of many jobs on a streaming server: held batches, not a stream each', async () => {
    const s = await server({ events: true });
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => job(s, 300 + i * 50)));
    const { client, sent } = recordingClient(s);
    const settled = await client.waitForAll(ids);
    expect(settled.map((r) => r.ok)).toEqual(ids.map(() => true));
    expect(sent.every(isBatch)).toBe(true);
  });
});
