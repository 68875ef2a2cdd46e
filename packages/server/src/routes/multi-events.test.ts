/** GET /events?ids=: one stream for many jobs, over real sockets. Generous bounds, no fixed sleeps. */
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.js';
import { createJobOver, serversClosedAfterEach } from '../test-support/http.js';
import { endings, metric, readUntil } from '../test-support/sse.js';

const start = serversClosedAfterEach();

async function createJob(server: RunningServer, durationMs: number, outcome = 'completed'): Promise<string> {
  return (await createJobOver(server, durationMs, { simulate: { duration_ms: durationMs, outcome } })).id;
}

describe('GET /events?ids=', () => {
  it("sends each job's state, then its changes with the job id in the data, and ends when all have ended", async () => {
    const server = await start();
    // Long enough that a busy machine still connects before the stages go by (a 400 ms job had ended
    // through them at a load of 5: its stream held the first state and the ending only).
    const ids = [await createJob(server, 1500), await createJob(server, 2000, 'error')];
    const res = await fetch(`${server.url}/events?ids=${ids.join(',')}`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('status-capabilities')).toContain('multi-events; max-ids=100');
    const events = await readUntil(res);
    expect(events.slice(0, 2).map((e) => e.data.id)).toEqual(ids);
    expect(endings(events).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const versions = events.filter((e) => e.data.id === id).map((e) => e.data.version ?? 0);
      expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
      expect(versions.length).toBeGreaterThan(2); // the stages in between are sent
    }
    // Each event's id is the version last sent of every job, in the order of ids.
    const last = events.at(-1);
    expect(last?.id).toBe(
      ids.map((id) => events.filter((e) => e.data.id === id).at(-1)?.data.version).join(','),
    );
    expect(await metric(server, 'translation_status_event_streams_open')).toBe(0);
  });

  it('with wake=result sends the first states and the endings only', async () => {
    const server = await start();
    const ids = [await createJob(server, 1200), await createJob(server, 1600)];
    const events = await readUntil(await fetch(`${server.url}/events?ids=${ids.join(',')}&wake=result`));
    expect(events).toHaveLength(4);
    expect(events.slice(0, 2).map((e) => e.data.result)).toEqual(['pending', 'pending']);
    expect(endings(events)).toEqual(ids);
  });

  it('resumes every job from Last-Event-ID: nothing lost, no ending twice, mid-stream and between events', async () => {
    const server = await start();
    const quick = await createJob(server, 1000);
    const slow = await createJob(server, 2500);
    const ids = `${quick},${slow}`;
    // Dropped once the first job has ended: the second is still running.
    const before = await readUntil(await fetch(`${server.url}/events?ids=${ids}`), (events) =>
      endings(events).includes(quick),
    );
    const lastId = before.at(-1)?.id ?? '';
    const after = await readUntil(
      await fetch(`${server.url}/events?ids=${ids}`, { headers: { 'last-event-id': lastId } }),
    );
    expect(endings(after)).toEqual([slow]);
    expect(after.every((e) => e.data.id === slow)).toBe(true);
    // Reconnecting after the last ending: nothing new, and 204 stops EventSource.
    const again = await fetch(`${server.url}/events?ids=${ids}`, {
      headers: { 'last-event-id': after.at(-1)?.id ?? '' },
    });
    expect(again.status).toBe(204);
    // Dropped in the middle of the first ending: the client has only the event before it, and is sent
    // that ending once more, then the rest.
    const ending = before.findIndex((e) => e.data.id === quick && e.data.result !== 'pending');
    const resent = await readUntil(
      await fetch(`${server.url}/events?ids=${ids}`, {
        headers: { 'last-event-id': before[ending - 1]?.id ?? '' },
      }),
    );
    expect(endings(resent)).toEqual([quick, slow]);
    const quickVersions = resent.filter((e) => e.data.id === quick).map((e) => e.data.version);
    expect(quickVersions).toEqual([before[ending]?.data.version]);
  });

  it('a job the server does not know gets a missing event; the others go on', async () => {
    const server = await start();
    const id = await createJob(server, 300);
    const events = await readUntil(await fetch(`${server.url}/events?ids=job_nope,${id}`));
    expect(events[0]).toMatchObject({ event: 'missing', id: undefined, data: { id: 'job_nope' } });
    expect(endings(events)).toEqual([id]);
  });

  it('a cancel of one job ends its part at once, the stream goes on for the others', async () => {
    const server = await start();
    const [a, b] = [await createJob(server, 600_000), await createJob(server, 800)];
    const res = await fetch(`${server.url}/events?ids=${a},${b}&wake=result`);
    const reading = readUntil(res);
    const canceled = await fetch(`${server.url}/jobs/${a}`, { method: 'DELETE' });
    expect(canceled.status).toBe(200);
    const events = await reading;
    expect(endings(events)).toEqual([a, b]);
  });

  it.each([
    ['no ids', '/events', /query\.ids is required/],
    [
      'too many ids',
      `/events?ids=${Array.from({ length: 101 }, (_, i) => `j${i}`).join(',')}`,
      /at most 100/,
    ],
    ['a resume point that does not match the ids', '/events?ids=a,b&versions=1', /one whole number per id/],
  ])('refuses %s with a 400 naming the problem', async (_name, path, message) => {
    const server = await start();
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it('is a 404 naming the per-job stream with --no-multi-events, which leaves the rest on', async () => {
    const server = await start({ multiEvents: false });
    const id = await createJob(server, 300);
    const res = await fetch(`${server.url}/events?ids=${id}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/jobs\/:id\/events/);
    const single = await fetch(`${server.url}/jobs/${id}/events`);
    expect(single.headers.get('status-capabilities')).toBe(
      'long-poll; max-wait=30; max-result-wait=300, events; heartbeat-ms=15000, batch',
    );
    expect(endings(await readUntil(single))).toEqual([id]);
  });

  it('is a 404 naming the alternative when event streams are off', async () => {
    const server = await start({ events: false });
    const res = await fetch(`${server.url}/events?ids=a`);
    expect(res.status).toBe(404);
    expect(res.headers.get('status-capabilities') ?? '').not.toContain('multi-events');
  });
});
