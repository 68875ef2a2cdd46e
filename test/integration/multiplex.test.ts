/**
 * Separate waits on one client share multiplexed streams (`GET /events?ids=`) without being asked:
 * the real server on loopback, the client's requests recorded by a wrapper around `fetch` (which can
 * also drop a stream's connection or refuse the route, as a proxy would).
 */
import { WaitTimeoutError, type JobStatus } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../../packages/cli/src/test-support/child.js';
import { until } from '../../packages/server/src/test-support/http.js';
import {
  buildCli,
  expectUnknownJobFailsAlone,
  inProcessServer,
  jobLasting as job,
  openRequests,
  recordingClient,
  serversCheckedForLeaks,
} from './support.js';

const servers = serversCheckedForLeaks();

async function server(options: Parameters<typeof inProcessServer>[0] = {}): Promise<RunningServer> {
  const s = await inProcessServer(options);
  servers.push(s);
  return s;
}

/** A response whose body stops with an error once `cut` says so (given the text so far). */
function cutBody(response: Response, cut: (text: string) => number | undefined): Response {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let text = '';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      const chunk = decoder.decode(value, { stream: true });
      const at = cut(text + chunk);
      if (at === undefined) {
        text += chunk;
        controller.enqueue(value);
        return;
      }
      controller.enqueue(encoder.encode((text + chunk).slice(text.length, at)));
      await reader.cancel();
      controller.error(new TypeError('connection reset (test)'));
    },
    cancel: () => reader.cancel(),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

describe.concurrent('separate waits on a multiplexing server', () => {
  it('share one stream: the waits started together cost one stream request in all', async () => {
    const s = await server();
    const ids = await Promise.all([1500, 1700, 1900, 2100, 2300].map((ms) => job(s, ms)));
    const { client, sent, streams, idsOf } = recordingClient(s);
    const done = await Promise.all(ids.map((id) => client.waitForCompletion(id)));
    expect(done.map((d) => d.status.result)).toEqual(ids.map(() => 'completed'));
    expect(done.every((d) => d.stats.transport === 'sse')).toBe(true);
    // One plain read meets the server; then the five jobs follow one stream.
    expect(sent.filter((r) => r.url.pathname.startsWith('/jobs/'))).toHaveLength(1);
    expect(streams()).toHaveLength(1);
    expect(new Set(streams().flatMap(idsOf))).toEqual(new Set(ids));
  });

  it('a wait joining an open stream reopens it with both jobs, resuming the first', async () => {
    const s = await server();
    const [first, second] = [await job(s, 5000), await job(s, 400)];
    const { client, streams, idsOf } = recordingClient(s);
    await client.getStatus(first); // the server is met: the waits go to shared streams at once
    const firstWait = client.waitForCompletion(first);
    await until(async () => (await openRequests(s.url)).streams === 1);
    const secondDone = await client.waitForCompletion(second);
    expect(secondDone.status.result).toBe('completed');
    expect((await firstWait).status.result).toBe('completed');
    const [opened, reopened] = streams();
    expect(opened && idsOf(opened)).toEqual([first]);
    expect(reopened && idsOf(reopened)).toEqual([first, second]);
    // The first job is resumed from what it had (nothing sent twice); the second starts afresh.
    expect(reopened?.lastEventId).toMatch(/^[1-9]\d*,0$/);
    await until(async () => (await openRequests(s.url)).streams === 0);
  });

  it('one wait aborted leaves the others on the stream going on', async () => {
    const s = await server();
    const ids = [await job(s, 60_000), await job(s, 500), await job(s, 700)];
    const { client, streams } = recordingClient(s);
    const controller = new AbortController();
    const waits = ids.map((id, i) =>
      client.waitForCompletion(id, i === 0 ? { signal: controller.signal } : {}),
    );
    await until(async () => (await openRequests(s.url)).streams === 1);
    controller.abort(new Error('not needed'));
    await expect(waits[0]).rejects.toThrow('not needed');
    const rest = await Promise.all(waits.slice(1));
    expect(rest.map((d) => d.status.result)).toEqual(['completed', 'completed']);
    expect(streams()).toHaveLength(1); // leaving does not reconnect the others
    await until(async () => (await openRequests(s.url)).streams === 0);
  });

  it('a job the server does not know fails its own wait with 404 job_not_found; the others go on', async () => {
    const s = await server();
    const ids = [await job(s, 300), await job(s, 400)];
    const { client, streams, idsOf } = recordingClient(s);
    await client.getStatus(ids[0]);
    await expectUnknownJobFailsAlone(client, ids);
    expect(streams().map(idsOf)).toEqual([['job_nope', ...ids]]);
  });

  it('waits sharing a stream keep their own deadlines', async () => {
    const s = await server();
    const [slow, quick] = [await job(s, 60_000), await job(s, 600)];
    const { client, streams } = recordingClient(s);
    await client.getStatus(slow);
    const [timedOut, completed] = await Promise.allSettled([
      client.waitForCompletion(slow, { timeoutMs: 300 }),
      client.waitForCompletion(quick, { timeoutMs: 20_000 }),
    ]);
    expect(timedOut.status === 'rejected' && timedOut.reason).toBeInstanceOf(WaitTimeoutError);
    expect(completed.status === 'fulfilled' && completed.value.status.result).toBe('completed');
    expect(streams()).toHaveLength(1);
  });

  it('waitForAll is separate waits on the same streams: one per 100 jobs', async () => {
    const s = await server();
    const ids = await Promise.all(Array.from({ length: 150 }, (_, i) => job(s, 300 + (i % 10) * 50)));
    const { client, sent, streams, idsOf } = recordingClient(s);
    await client.getStatus(ids[0]);
    const settled = await client.waitForAll(ids);
    expect(settled.every((r) => r.ok)).toBe(true);
    expect(
      streams()
        .map((r) => idsOf(r).length)
        .sort((a, b) => a - b),
    ).toEqual([50, 100]);
    expect(sent).toHaveLength(3);
  });

  it('waitForAll on a client that has not met the server yet: one batch read meets it, then shared streams', async () => {
    const s = await server();
    const ids = await Promise.all(Array.from({ length: 250 }, (_, i) => job(s, 3_000 + (i % 10) * 100)));
    const { client, sent, streams, idsOf } = recordingClient(s);
    const settled = await client.waitForAll(ids);
    expect(settled.every((r) => r.ok)).toBe(true);
    // The other two batches of 100 waited for the first one's answer instead of each reading.
    expect(sent.filter((r) => r.url.pathname === '/jobs')).toHaveLength(1);
    // The jobs the read did not see ended follow on streams of up to 100 (three, unless some had ended).
    const sizes = streams().map((r) => idsOf(r).length);
    expect(sizes.length).toBeLessThanOrEqual(3);
    expect(sizes.every((n) => n <= 100)).toBe(true);
    expect(sent).toHaveLength(1 + sizes.length);
  });

  it.each([
    // Inside the first ending's event: it was never delivered, so it comes again after the resume.
    ['mid-event', 3, (text: string) => (ending(text) < 0 ? -1 : ending(text) + 5)],
    // Right after it: delivered, so the job is left out of the resume.
    ['between events', 2, (text: string) => afterFirstEnding(text)],
  ])(
    'a stream dropped %s resumes every job at once: no ending lost or doubled',
    async (_name, resumedIds, at) => {
      const cut = (text: string): number | undefined => (at(text) >= 0 ? at(text) : undefined);
      const s = await server();
      const ids = [await job(s, 1500), await job(s, 2500), await job(s, 3000, 'error')];
      let cutOnce = false;
      // The first stream breaks once it has carried the first ending.
      const { client, streams } = recordingClient(s, (request, response) => {
        if (request.url.pathname !== '/events' || cutOnce) return response;
        cutOnce = true;
        return cutBody(response, cut);
      });
      await client.getStatus(ids[0]);
      const endingsSeen: string[] = [];
      const onStatus = (status: JobStatus): void => {
        if (status.result !== 'pending') endingsSeen.push(status.jobId ?? '');
      };
      const settled = await Promise.allSettled(ids.map((id) => client.waitForCompletion(id, { onStatus })));
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect(endingsSeen.sort()).toEqual([...ids].sort());
      const [, resumed] = streams();
      expect(streams()).toHaveLength(2);
      expect(resumed?.lastEventId?.split(',')).toHaveLength(resumedIds);
    },
  );
});

/** Where the first ending (completed or error) is in an SSE text so far; -1 before it. */
function ending(text: string): number {
  return text.search(/"result":"(completed|error)"/);
}

/** Just after the event that holds the first ending, once it is whole; -1 before. */
function afterFirstEnding(text: string): number {
  const at = ending(text);
  const end = at < 0 ? -1 : text.indexOf('\n\n', at);
  return end < 0 ? -1 : end + 2;
}

describe.concurrent('servers that do not multiplex', () => {
  it('a server without the route: separate waits each follow their own stream, as before', async () => {
    const s = await server();
    const ids = [await job(s, 300), await job(s, 500)];
    // An older server: the same, but without `multi-events` in its capabilities.
    const { client, sent } = recordingClient(s, (_request, response) => {
      const headers = new Headers(response.headers);
      const announced = headers.get('status-capabilities');
      if (announced === null) return response;
      headers.set('status-capabilities', announced.replace(/,\s*multi-events[^,]*/, ''));
      return new Response(response.body, { status: response.status, headers });
    });
    await client.getStatus(ids[0]);
    const done = await Promise.all(ids.map((id) => client.waitForCompletion(id)));
    expect(done.map((d) => [d.status.result, d.stats.transport])).toEqual([
      ['completed', 'sse'],
      ['completed', 'sse'],
    ]);
    expect(sent.map((r) => r.url.pathname).filter((p) => p.endsWith('/events'))).toEqual(
      ids.map((id) => `/jobs/${id}/events`),
    );
  });

  it('a server without event streams: waitForAll goes through held batches', async () => {
    const s = await server({ events: false });
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => job(s, 200 + i * 30)));
    const { client, sent } = recordingClient(s);
    const settled = await client.waitForAll(ids);
    expect(settled.every((r) => r.ok)).toBe(true);
    expect(sent.every((r) => r.url.pathname === '/jobs' && r.url.searchParams.has('ids'))).toBe(true);
  });

  it('a route announced but refused: the waits fall back to their own streams and end', async () => {
    const s = await server();
    const ids = [await job(s, 4000), await job(s, 5000)];
    const { client, sent } = recordingClient(s, (request, response) =>
      request.url.pathname === '/events' ? new Response('nope', { status: 404 }) : response,
    );
    await client.getStatus(ids[0]);
    const done = await Promise.all(ids.map((id) => client.waitForCompletion(id)));
    expect(done.map((d) => [d.status.result, d.stats.transport])).toEqual([
      ['completed', 'sse'],
      ['completed', 'sse'],
    ]);
    expect(
      sent.filter((r) => r.url.pathname === '/events'),
      JSON.stringify(sent.map((r) => r.url.pathname + r.url.search)),
    ).toHaveLength(1);
    expect(
      sent.filter((r) => r.url.pathname.endsWith('/events') && r.url.pathname !== '/events'),
    ).toHaveLength(2);
    // Later waits do not try the refused route again.
    await client.waitForCompletion(await job(s, 200));
    expect(sent.filter((r) => r.url.pathname === '/events')).toHaveLength(1);
  });
});

/** Separate waits and a waitForAll sharing streams, then nothing: the process must end by itself. */
const WAITING_PROCESS = `
import { TranslationClient } from ${JSON.stringify(new URL('../../packages/client/dist/index.js', import.meta.url).href)};
const [baseUrl, ...ids] = process.argv.slice(1);
const client = new TranslationClient({ baseUrl, logLevel: 'silent' });
const separate = await Promise.all(ids.map((id) => client.waitForCompletion(id)));
const all = await client.waitForAll(ids);
console.log(separate.map((d) => d.stats.transport).join(' '), all.filter((r) => r.ok).length);
`;

describe('a process whose waits shared streams', () => {
  beforeAll(async () => {
    await buildCli(); // builds the client package the child imports
  }, 120_000);

  it('exits by itself once the last wait settles: no stream, timer or socket is left', async () => {
    const s = await server();
    // Seconds, so that a child slow to start on a busy machine still finds every job pending at its first
    // read (an 800 ms job had ended by then at a load of 20, and its wait reported a plain read).
    const ids = [await job(s, 3000), await job(s, 3300), await job(s, 3600)];
    const child = spawn(process.execPath, ['--input-type=module', '-e', WAITING_PROCESS, s.url, ...ids], {
      env: cleanEnv(),
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(killer);
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'sse sse sse 3' });
  }, 60_000);
});
