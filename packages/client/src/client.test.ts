import { describe, expect, it } from 'vitest';
import { HttpError, JobFailedError, ProtocolError, WaitTimeoutError } from './errors/index.js';
import { RetryBudget } from './policy/retry-budget.js';
import type { JobStatus } from './protocol/status.js';
import { eventStream, json } from './test-support/fake-fetch.js';
import { testClient } from './test-support/test-client.js';
import {
  answerJob,
  drive,
  harness,
  jobBody,
  runUntil,
  tick,
  type Harness,
  type JobScript,
} from './test-support/scenario.js';

const client = testClient;

function scripted(script: JobScript): Harness {
  return harness((request, clock) => answerJob(clock, script, request));
}

describe('waitForCompletion against a plain /status server', () => {
  it('polls with exponentially growing delays until the job completes', async () => {
    const h = scripted({ doneAt: 10_000, plain: true });
    const done = await drive(h.clock, client(h).waitForCompletion());
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000, 15_000]);
    expect(h.requests.every((r) => r.url.pathname === '/status')).toBe(true);
    // The type says it too (issue 11): a resolved wait is completed, not any JobResult.
    const result: 'completed' = done.status.result;
    expect(result).toBe('completed');
    expect(done.stats).toEqual({ elapsedMs: 15_000, requests: 5, retries: 0, transport: 'poll' });
  });

  it('stays quiet under auto: nothing logged at warn or above', async () => {
    const h = scripted({ doneAt: 2_000, plain: true });
    await drive(h.clock, client(h).waitForCompletion());
    expect(h.logs.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  it('squeezes one last poll in before the deadline, then rejects with WaitTimeoutError', async () => {
    const h = scripted({ doneAt: 60_000, plain: true });
    const wait = client(h).waitForCompletion(undefined, { timeoutMs: 10_000 });
    const error: unknown = await drive(h.clock, wait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    // 0, 1 s, 3 s, 7 s; the next (15 s) would pass the deadline, so one more 300 ms before it.
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000, 9_700]);
    expect((error as WaitTimeoutError).elapsedMs).toBe(10_000);
    expect((error as WaitTimeoutError).attempts).toBe(5);
    expect(h.clock.pendingSleeps).toBe(0);
  });
});

describe('outcomes', () => {
  it('rejects with JobFailedError carrying the server code and message', async () => {
    const h = scripted({ doneAt: 2_500, outcome: 'error' });
    const error: unknown = await drive(h.clock, client(h).waitForCompletion('job_1')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobFailedError);
    const failed = error as JobFailedError;
    expect([failed.code, failed.jobErrorCode, failed.jobErrorMessage, failed.jobId]).toEqual([
      'job_failed',
      'lip_sync_failed',
      'No face was found in 40% of frames',
      'job_1',
    ]);
    expect(failed.message).toContain("job 'job_1'");
  });

  it('rejects with the signal reason on abort and leaves nothing running', async () => {
    const h = scripted({ doneAt: 60_000 });
    const controller = new AbortController();
    const wait = client(h).waitForCompletion('job_1', { signal: controller.signal });
    await h.clock.advance(2_000);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(wait).rejects.toBe(reason);
    await tick(); // the aborted read unwinds a few microtasks after the wait rejected
    expect(h.clock.pendingSleeps).toBe(0);
  });

  it('fails fast on a 404 with the server message', async () => {
    const h = harness(() =>
      json({ error: { code: 'job_not_found', message: "No job has the id 'nope'." } }, 404),
    );
    const error: unknown = await drive(h.clock, client(h).waitForCompletion('nope')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).serverCode).toBe('job_not_found');
    expect((error as HttpError).message).toContain("No job has the id 'nope'.");
    expect(h.requests).toHaveLength(1);
  });

  it('fails at once with ProtocolError on JSON that is not a status, without retrying', async () => {
    const h = harness(() => json({ result: 'sideways' }));
    const error: unknown = await drive(h.clock, client(h).waitForCompletion()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toContain('sideways');
    expect(h.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries a 503 after its Retry-After and counts the retry', async () => {
    let calls = 0;
    const h = harness((request, clock) => {
      calls += 1;
      if (calls === 2)
        return json({ error: { code: 'unavailable', message: 'busy' } }, 503, { 'retry-after': '3' });
      return answerJob(clock, { doneAt: 1_000, plain: true }, request);
    });
    const retries: number[] = [];
    const done = await drive(
      h.clock,
      client(h).waitForCompletion(undefined, { onRetry: (info) => retries.push(info.delayMs) }),
    );
    expect(h.times()).toEqual([0, 1_000, 4_000]);
    expect(retries).toEqual([3_000]);
    expect(done.stats.retries).toBe(1);
  });

  it('retries a body that is not JSON (a proxy page) as transient', async () => {
    let calls = 0;
    const h = harness((request, clock) => {
      calls += 1;
      if (calls === 1) return new Response('<html>Bad gateway</html>', { status: 200 });
      return answerJob(clock, { doneAt: 0, plain: true }, request);
    });
    const done = await drive(h.clock, client(h).waitForCompletion());
    expect(done.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('slows to one unpaid probe per maxDelayMs once the shared budget is spent, and resumes', async () => {
    let calls = 0;
    const h = harness((request, clock) => {
      calls += 1;
      if (calls <= 4) return json({ error: { code: 'internal_error', message: 'boom' } }, 500);
      return answerJob(clock, { doneAt: 0, plain: true }, request);
    });
    const budget = new RetryBudget({
      capacity: 10,
      retryCost: 5,
      timeoutCost: 10,
      successRefill: 1,
      reservePerSecond: 0,
    });
    const done = await drive(h.clock, client(h, { retry: { budget, maxRetries: 100 } }).waitForCompletion());
    const gaps = h
      .times()
      .slice(1)
      .map((t, i) => t - (h.times()[i] ?? 0));
    // Two paid retries (full jitter with random() = 0: no wait), then unpaid probes at retry.maxDelayMs.
    expect(gaps).toEqual([0, 0, 30_000, 30_000]);
    expect(done.status.result).toBe('completed');
    expect(budget.available).toBe(1);
  });
});

describe('long-poll', () => {
  it('holds requests with Prefer: wait and If-None-Match, then resolves the moment the job ends', async () => {
    const h = scripted({ doneAt: 45_000, longPoll: true });
    const done = await drive(h.clock, client(h).waitForCompletion('job_1'));
    expect(h.times()).toEqual([0, 0, 30_000]);
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=30');
    expect(h.requests[1]?.headers.get('if-none-match')).toBe('"v1"');
    expect(h.requests[1]?.url.searchParams.get('wake')).toBe('result'); // nobody follows the stages
    expect(done.stats).toMatchObject({ elapsedMs: 45_000, transport: 'long-poll' });
  });

  it('keeps waking on every change while a wait follows the stages', async () => {
    const h = scripted({ doneAt: 45_000, longPoll: true });
    await drive(h.clock, client(h).waitForCompletion('job_1', { onStatus: () => undefined }));
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=30');
    expect(h.requests[1]?.url.searchParams.get('wake')).toBeNull();
  });

  it('holds from the start rather than sleep towards the estimate: one request per hold, none late', async () => {
    const h = scripted({ doneAt: 100_000, longPoll: true, eta: true });
    const done = await drive(h.clock, client(h).waitForCompletion('job_1'));
    // eta 100 s: a read, then holds of 30 s (the server cap) until the rest fits in one; the last
    // ends with the job at 100 s.
    expect(h.times()).toEqual([0, 0, 30_000, 60_000, 90_000]);
    expect(done.stats.elapsedMs).toBe(100_000);
  });

  /** Two jobs behind one long-polling server, picked by the id in the path. */
  function twoJobs(): Harness {
    const scripts: Record<string, JobScript> = {
      job_1: { id: 'job_1', doneAt: 5_000, longPoll: true },
      job_2: { id: 'job_2', doneAt: 25_000, longPoll: true },
    };
    return harness((request, clock) => {
      const script = scripts[request.url.pathname.split('/').at(-1) ?? ''];
      return script === undefined ? json({ error: 'not found' }, 404) : answerJob(clock, script, request);
    });
  }

  it('holds the very first request once the client knows its server holds: one request per short job', async () => {
    const h = twoJobs();
    const c = client(h);
    await drive(h.clock, c.waitForCompletion('job_1')); // meets the server: a read, then a hold
    expect(h.requests).toHaveLength(2);
    const done = await drive(h.clock, c.waitForCompletion('job_2'));
    expect(h.requests).toHaveLength(3);
    const held = h.requests[2];
    expect(held?.headers.get('prefer')).toBe('wait=30');
    expect(held?.headers.get('if-none-match')).toBeNull(); // no version known yet: wake=result holds
    expect(held?.url.searchParams.get('wake')).toBe('result');
    expect(done.status.result).toBe('completed');
    expect(done.stats).toMatchObject({ requests: 1, elapsedMs: 20_000, transport: 'long-poll' });
  });

  it('cuts a hold that waits for the ending when a wait that follows the stages joins', async () => {
    const h = twoJobs();
    const c = client(h);
    await drive(h.clock, c.waitForCompletion('job_1'));
    const quiet = c.waitForCompletion('job_2'); // first request held with wake=result, at 5 s
    await runUntil(h.clock, 6_000);
    const seen: number[] = [];
    const follower = c.waitForCompletion('job_2', { onStatus: () => seen.push(h.clock.now()) });
    await drive(h.clock, Promise.all([quiet, follower]));
    expect(seen[0]).toBe(6_000); // the current state at once, not at the ending
    expect(h.requests[3]?.headers.get('prefer')).toBeNull(); // the read that replaced the cut hold
    expect(h.requests.slice(4).every((r) => r.url.searchParams.get('wake') === null)).toBe(true);
  });

  it('reads first, even on a known server, when a wait follows the stages', async () => {
    const h = twoJobs();
    const c = client(h);
    await drive(h.clock, c.waitForCompletion('job_1'));
    await drive(h.clock, c.waitForCompletion('job_2', { onStatus: () => undefined }));
    expect(h.requests[2]?.headers.get('prefer')).toBeNull();
    expect(h.requests[3]?.headers.get('prefer')).toBe('wait=30');
  });

  it('reads first when the deadline leaves no room for a hold', async () => {
    const h = twoJobs();
    const c = client(h);
    await drive(h.clock, c.waitForCompletion('job_1'));
    // 20 s left, 30 s request timeout: no whole second of hold fits, so the wait polls.
    const error: unknown = await drive(h.clock, c.waitForCompletion('job_2', { timeoutMs: 20_000 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(h.requests.slice(2).every((r) => r.headers.get('prefer') === null)).toBe(true);
  });

  it('falls back to polling, with a warning, when a forced long-poll is not honoured', async () => {
    const h = scripted({ doneAt: 3_000, plain: true });
    const done = await drive(h.clock, client(h, { transport: 'long-poll' }).waitForCompletion());
    expect(h.requests[0]?.headers.get('prefer')).toBeNull();
    // No cap announced and no ETA: three request timeouts (30 s each).
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=90');
    expect(h.requests.slice(2).every((r) => r.headers.get('prefer') === null)).toBe(true);
    expect(done.stats.transport).toBe('poll');
    expect(h.logs.some((l) => l.level === 'warn' && l.message?.includes('long-poll unavailable'))).toBe(true);
  });
});

describe('event stream', () => {
  function streamingServer(): { h: Harness; streams: ReturnType<typeof eventStream>[] } {
    const streams: ReturnType<typeof eventStream>[] = [];
    const h = harness((request, clock) => {
      if (request.url.pathname.endsWith('/events')) {
        const stream = eventStream();
        streams.push(stream);
        return stream.response;
      }
      return json(jobBody({ doneAt: 60_000 }, clock.now()), 200, {
        'status-capabilities': 'events',
        link: '</jobs/job_1/events>; rel="events"',
      });
    });
    return { h, streams };
  }

  const frame = (version: number, body: Record<string, unknown>): string =>
    `id: ${version}\nevent: status\ndata: ${JSON.stringify(body)}\n\n`;

  it('follows the advertised stream to the terminal event and closes it', async () => {
    const { h, streams } = streamingServer();
    const statuses: string[] = [];
    const wait = client(h).waitForCompletion('job_1', {
      onStatus: (s) => statuses.push(`${s.result}/${s.stage ?? ''}`),
    });
    await drive(h.clock, Promise.resolve()); // let the stream open
    await h.clock.advance(0);
    while (streams.length === 0) await new Promise((r) => setTimeout(r, 0));
    streams[0]?.send('retry: 1000\n\n');
    streams[0]?.send(frame(2, { id: 'job_1', result: 'pending', stage: 'rendering', version: 2 }));
    streams[0]?.send(frame(3, { id: 'job_1', result: 'completed', stage: 'done', version: 3 }));
    const done = await wait;
    expect(statuses).toEqual(['pending/translating', 'pending/rendering', 'completed/done']);
    expect(done.stats).toMatchObject({ requests: 2, transport: 'sse' });
    expect(streams[0]?.cancelled).toBe(true);
  });

  it('opens the stream at once, in one request, once the server is known to stream', async () => {
    const { h, streams } = streamingServer();
    const c = client(h);
    await c.getStatus('job_1'); // any answer teaches the client what the server offers
    const wait = c.waitForCompletion('job_1');
    while (streams.length === 0) await new Promise((r) => setTimeout(r, 0));
    streams[0]?.send(frame(3, { id: 'job_1', result: 'completed', stage: 'done', version: 3 }));
    const done = await wait;
    expect(done.stats).toMatchObject({ requests: 1, transport: 'sse' });
    expect(h.requests.map((r) => r.url.pathname)).toEqual(['/jobs/job_1', '/jobs/job_1/events']);
  });

  it('lets only one of many concurrent waits discover the server, the others stream at once', async () => {
    const h = harness((request) => {
      const id = request.url.pathname.split('/')[2] ?? '';
      if (request.url.pathname.endsWith('/events')) {
        const stream = eventStream();
        stream.send(
          `id: 9\nevent: status\ndata: ${JSON.stringify({ id, result: 'completed', version: 9 })}\n\n`,
        );
        return stream.response;
      }
      return json(jobBody({ id, doneAt: 60_000 }, 0), 200, {
        'status-capabilities': 'events',
        link: `</jobs/${id}/events>; rel="events"`,
      });
    });
    const c = client(h);
    const ids = ['a', 'b', 'c', 'd'];
    await drive(h.clock, Promise.all(ids.map((id) => c.waitForCompletion(id))));
    const reads = h.requests.filter((r) => !r.url.pathname.endsWith('/events'));
    expect(reads).toHaveLength(1);
    expect(h.requests).toHaveLength(1 + ids.length);
  });

  it('falls back to polling when the stream never delivers (a proxy or CORS blocks it)', async () => {
    const h = harness((request, clock) => {
      if (request.url.pathname.endsWith('/events')) throw new TypeError('Failed to fetch');
      return json(jobBody({ doneAt: 5_000 }, clock.now()), 200, {
        'status-capabilities': 'events',
        link: '</jobs/job_1/events>; rel="events"',
      });
    });
    const done = await drive(h.clock, client(h).waitForCompletion('job_1'));
    expect(h.requests.filter((r) => r.url.pathname.endsWith('/events'))).toHaveLength(2);
    expect(done.stats.transport).toBe('poll');
  });

  it('reads the status when the stream answers 204 (the job ended before Last-Event-ID)', async () => {
    let reads = 0;
    const h = harness((request) => {
      if (request.url.pathname.endsWith('/events')) return new Response(null, { status: 204 });
      reads += 1;
      return json(jobBody({ doneAt: reads === 1 ? 1 : 0 }, 0), 200, {
        'status-capabilities': 'events',
        link: '</jobs/job_1/events>; rel="events"',
      });
    });
    const done = await drive(h.clock, client(h).waitForCompletion('job_1'));
    expect(done.status.result).toBe('completed');
    expect(h.requests.map((r) => r.url.pathname)).toEqual([
      '/jobs/job_1',
      '/jobs/job_1/events',
      '/jobs/job_1',
    ]);
  });

  it('falls back instead of looping when the stream answers 204 for a job still pending', async () => {
    const h = harness((request, clock) => {
      if (request.url.pathname.endsWith('/events')) return new Response(null, { status: 204 });
      return json(jobBody({ doneAt: 3_000 }, clock.now()), 200, {
        'status-capabilities': 'events',
        link: '</jobs/job_1/events>; rel="events"',
      });
    });
    const done = await drive(h.clock, client(h).waitForCompletion('job_1'));
    expect(done.stats.transport).toBe('poll');
    expect(h.requests.filter((r) => r.url.pathname.endsWith('/events'))).toHaveLength(1);
  });

  it('reconnects with Last-Event-ID after the stream breaks', async () => {
    const { h, streams } = streamingServer();
    const wait = client(h).waitForCompletion('job_1');
    while (streams.length === 0) await new Promise((r) => setTimeout(r, 0));
    streams[0]?.send(frame(2, { id: 'job_1', result: 'pending', stage: 'rendering', version: 2 }));
    streams[0]?.end();
    const second = (async () => {
      while (streams.length < 2) {
        await new Promise((r) => setTimeout(r, 0));
        await h.clock.advanceToNext();
      }
    })();
    await second;
    expect(h.requests.at(-1)?.headers.get('last-event-id')).toBe('2');
    streams[1]?.send(frame(3, { id: 'job_1', result: 'completed', stage: 'done', version: 3 }));
    await expect(wait).resolves.toMatchObject({ status: { result: 'completed' } });
  });
});

describe('many waits', () => {
  it('coalesces concurrent waits on one job into one set of requests', async () => {
    const h = scripted({ doneAt: 10_000 });
    const c = client(h);
    const both = Promise.all([c.waitForCompletion('job_1'), c.waitForCompletion('job_1')]);
    const [a, b] = await drive(h.clock, both);
    expect(h.requests).toHaveLength(5);
    expect(a.status.result).toBe('completed');
    expect(b.status).toBe(a.status);
    expect(a.stats.requests).toBe(5);
  });

  it('reports a shared failure with each wait its own elapsed time and request count', async () => {
    // Pending until 10 s, then the job is gone (404: not retried). Polls at 0, 1, 3, 7 and 15 s.
    const h = harness((request, clock) =>
      clock.now() < 10_000
        ? answerJob(clock, { doneAt: Infinity }, request)
        : json({ error: { code: 'job_not_found', message: 'gone' } }, 404),
    );
    const c = client(h);
    const first = c.waitForCompletion('job_1').catch((e: unknown) => e);
    await runUntil(h.clock, 5_000);
    const second = c.waitForCompletion('job_1').catch((e: unknown) => e);
    await drive(h.clock, Promise.all([first, second]));
    const [a, b] = [await first, await second];
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000, 15_000]);
    expect(a).toBeInstanceOf(HttpError);
    expect(b).toBeInstanceOf(HttpError);
    expect(a).toMatchObject({ status: 404, elapsedMs: 15_000, attempts: 5 });
    expect(b).toMatchObject({ status: 404, elapsedMs: 10_000, attempts: 2 });
    expect((b as HttpError).message).toContain('after 10.0 s and 2 requests');
    expect((b as HttpError).cause).toBe((a as HttpError).cause);
  });

  it('never postpones the next poll when waits keep joining', async () => {
    const h = scripted({ doneAt: 10_000 });
    const c = client(h);
    const waits = [c.waitForCompletion('job_1')];
    for (const at of [500, 1_500, 2_500, 4_000, 6_000, 9_000, 12_000]) {
      await runUntil(h.clock, at);
      waits.push(c.waitForCompletion('job_1'));
    }
    await drive(h.clock, Promise.all(waits));
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000, 15_000]); // as for a single wait
  });

  it('still makes the last poll squeezed before a deadline when another wait joins during its sleep', async () => {
    const h = scripted({ doneAt: 60_000, plain: true });
    const c = client(h);
    const early = c.waitForCompletion(undefined, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await runUntil(h.clock, 8_000);
    const late = c.waitForCompletion(undefined, { timeoutMs: 100_000 });
    expect(await drive(h.clock, early)).toBeInstanceOf(WaitTimeoutError);
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000, 9_700]);
    await drive(h.clock, late);
  });

  it('keeps polling for a later deadline after an earlier coalesced wait times out', async () => {
    const h = scripted({ doneAt: 20_000 });
    const c = client(h);
    const early = c.waitForCompletion('job_1', { timeoutMs: 5_000 }).catch((e: unknown) => e);
    const late = c.waitForCompletion('job_1', { timeoutMs: 60_000 });
    const [earlyOutcome, lateOutcome] = await drive(h.clock, Promise.all([early, late]));
    expect(earlyOutcome).toBeInstanceOf(WaitTimeoutError);
    expect(lateOutcome.status.result).toBe('completed');
    // 0, 1 s, 3 s, the squeeze for the early deadline at 4.8 s, then the schedule resumes for the late one.
    expect(h.times().slice(0, 4)).toEqual([0, 1_000, 3_000, 4_800]);
    expect(lateOutcome.stats.elapsedMs).toBeLessThan(40_000);
  });

  it('squeezes a last poll for a wait that joins with an earlier deadline during a long sleep', async () => {
    const h = scripted({ doneAt: 600_000 });
    const c = client(h);
    const long = c.waitForCompletion('job_1', { timeoutMs: 3_600_000 }).catch((e: unknown) => e);
    await runUntil(h.clock, 20_000); // polls at 0, 1, 3, 7 and 15 s; the next is due at 31 s
    const short = c.waitForCompletion('job_1', { timeoutMs: 2_000 }).catch((e: unknown) => e);
    await drive(h.clock, short);
    expect(h.times()).toContain(21_800); // one last poll just before the joiner's deadline at 22 s
    await drive(h.clock, long);
  });

  it('waits for many jobs through the batch endpoint, one request per tick', async () => {
    const ends: Record<string, number> = { a: 2_000, b: 5_000, c: 9_000 };
    const h = harness((request, clock) => {
      const ids = (request.url.searchParams.get('ids') ?? '').split(',');
      return json({
        jobs: ids.map((id) => ({
          id,
          job: jobBody(
            { id, doneAt: ends[id] ?? 0, outcome: id === 'b' ? 'error' : 'completed' },
            clock.now(),
          ),
        })),
      });
    });
    const settled = await drive(h.clock, client(h).waitForAll(['a', 'b', 'c']));
    expect(settled.map((s) => [s.jobId, s.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000, 15_000]);
    expect(h.requests.map((r) => r.url.searchParams.get('ids'))).toEqual([
      'a,b,c',
      'a,b,c',
      'a,b,c',
      'b,c',
      'c',
    ]);
  });

  it('asks a held batch to wake only on results when nobody follows the stages', async () => {
    const ends: Record<string, number> = { a: 2_000, b: 50_000 };
    const h = harness(async (request, clock) => {
      const ids = (request.url.searchParams.get('ids') ?? '').split(',');
      const held = request.headers.get('prefer') !== null;
      if (held && request.url.searchParams.get('wake') === 'result') {
        const soonest = Math.min(...ids.map((id) => ends[id] ?? 0));
        await clock.sleep(Math.max(0, Math.min(soonest - clock.now(), 30_000)), request.signal);
      }
      return json(
        { jobs: ids.map((id) => ({ id, job: jobBody({ id, doneAt: ends[id] ?? 0 }, clock.now()) })) },
        200,
        {
          'status-capabilities': 'long-poll; max-wait=30, batch',
          ...(held ? { 'preference-applied': 'wait=30' } : {}),
        },
      );
    });
    const order: string[] = [];
    const settled = await drive(
      h.clock,
      client(h).waitForAll(['a', 'b'], { onSettled: (r) => order.push(r.jobId) }),
    );
    expect(settled.every((s) => s.ok)).toBe(true);
    expect(order).toEqual(['a', 'b']); // each reported as it settles; onSettled keeps wake=result
    // One read, then holds: a ends at 2 s, b at 50 s (a 30 s hold times out at 32 s, then one more).
    expect(h.times()).toEqual([0, 0, 2_000, 32_000]);
    expect(h.requests.slice(1).every((r) => r.url.searchParams.get('wake') === 'result')).toBe(true);
  });

  it('gives a few jobs one event stream each when the server streams, instead of a batch', async () => {
    const h = harness((request) => {
      const id = request.url.pathname.split('/')[2] ?? '';
      if (request.url.pathname.endsWith('/events')) {
        const stream = eventStream();
        stream.send(
          `id: 9\nevent: status\ndata: ${JSON.stringify({ id, result: 'completed', version: 9 })}\n\n`,
        );
        return stream.response;
      }
      return json(jobBody({ id, doneAt: 60_000 }, 0), 200, { 'status-capabilities': 'events, batch' });
    });
    const c = client(h);
    await c.getStatus('a');
    const settled = await drive(h.clock, c.waitForAll(['a', 'b', 'c']));
    expect(settled.every((s) => s.ok)).toBe(true);
    expect(h.requests.slice(1).map((r) => r.url.pathname)).toEqual([
      '/jobs/a/events',
      '/jobs/b/events',
      '/jobs/c/events',
    ]);
  });

  it('falls back to one wait per job when the server has no batch endpoint', async () => {
    const h = harness((request, clock) => {
      if (request.url.pathname === '/jobs')
        return json({ error: { code: 'route_not_found', message: 'no' } }, 404);
      const id = decodeURIComponent(request.url.pathname.split('/').at(-1) ?? '');
      return json(jobBody({ id, doneAt: 1_000 }, clock.now()));
    });
    const settled = await drive(h.clock, client(h).waitForAll(['a', 'b']));
    expect(settled.every((s) => s.ok)).toBe(true);
    expect(h.requests.filter((r) => r.url.pathname === '/jobs')).toHaveLength(1);
  });
});

describe('callbacks and watch()', () => {
  it('keeps waiting when a callback throws, and logs it', async () => {
    const h = scripted({ doneAt: 3_000 });
    const done = await drive(
      h.clock,
      client(h).waitForCompletion('job_1', {
        onStatus: () => {
          throw new Error('callback bug');
        },
      }),
    );
    expect(done.status.result).toBe('completed');
    expect(h.logs.some((l) => l.level === 'warn' && l.message?.includes('onStatus'))).toBe(true);
  });

  it('yields each change and stops the wait when the loop is left', async () => {
    const h = scripted({ doneAt: 60_000 });
    const seen: JobStatus[] = [];
    const loop = (async () => {
      for await (const status of client(h).watch('job_1')) {
        seen.push(status);
        if (seen.length === 2) break;
      }
    })();
    await drive(h.clock, loop);
    expect(seen).toHaveLength(2);
    expect(h.clock.pendingSleeps).toBe(0);
    const requestsAfterBreak = h.requests.length;
    await h.clock.advance(120_000);
    expect(h.requests).toHaveLength(requestsAfterBreak);
  });
});

describe('getStatus', () => {
  it('ends at its timeout with WaitTimeoutError, not with a burst of retries after it', async () => {
    const h = harness(() => json({ error: { code: 'unavailable', message: 'busy' } }, 503));
    // random() near 1: full-jitter backoff near its cap, so the retries run into the deadline.
    const read = client(h, { random: () => 0.99 }).getStatus('job_1', {
      timeoutMs: 1_000,
      retry: { maxRetries: 50 },
    });
    const error: unknown = await drive(h.clock, read).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(h.clock.now()).toBe(1_000);
    expect(h.requests.every((r) => r.at < 1_000)).toBe(true);
  });

  it('reports each retry to onRetry, with the failure', async () => {
    let calls = 0;
    const h = harness(() =>
      ++calls < 3
        ? json({ error: { code: 'unavailable', message: 'busy' } }, 503)
        : json({ result: 'pending' }),
    );
    const retries: { attempt: number; status: unknown }[] = [];
    const read = client(h).getStatus('job_1', {
      onRetry: (info) =>
        retries.push({
          attempt: info.attempt,
          status: info.error instanceof HttpError ? info.error.status : undefined,
        }),
    });
    await drive(h.clock, read);
    expect(retries).toEqual([
      { attempt: 1, status: 503 },
      { attempt: 2, status: 503 },
    ]);
  });
});

describe('cancelJob', () => {
  const canceled = { id: 'job_1', result: 'error', stage: 'canceled', version: 3 };

  it('sends DELETE /jobs/:id and resolves with the canceled status', async () => {
    const h = harness(() =>
      json({ ...canceled, error: { code: 'canceled', message: 'The job was canceled' } }, 200),
    );
    const status = await client(h).cancelJob('job 1');
    expect(h.requests.map((r) => [r.method, r.url.pathname])).toEqual([['DELETE', '/jobs/job%201']]);
    expect(status).toMatchObject({ result: 'error', stage: 'canceled', error: { code: 'canceled' } });
  });

  it('retries a transient failure: a repeated cancel is harmless', async () => {
    let calls = 0;
    const h = harness(() =>
      ++calls === 1
        ? json({ error: { code: 'unavailable', message: 'busy' } }, 503, { 'retry-after': '1' })
        : json({ ...canceled, error: { code: 'canceled', message: 'canceled' } }, 200),
    );
    const status = await drive(h.clock, client(h).cancelJob('job_1'));
    expect(h.requests).toHaveLength(2);
    expect(status.error?.code).toBe('canceled');
  });

  it('rejects with HttpError 409 job_finished for a job that already ended, without retrying', async () => {
    const h = harness(() =>
      json({ error: { code: 'job_finished', message: "Job 'job_1' has already completed" } }, 409),
    );
    const error: unknown = await client(h)
      .cancelJob('job_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 409, serverCode: 'job_finished' });
    expect(h.requests).toHaveLength(1);
  });
});

describe('createJob', () => {
  it('posts the job in the wire format and returns its id and URL', async () => {
    const h = harness(() => json({ id: 'job_9', result: 'pending' }, 201, { location: '/jobs/job_9' }));
    const job = await client(h).createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 90,
      simulate: { durationMs: 500 },
    });
    expect(JSON.parse(h.requests[0]?.body ?? '')).toEqual({
      source_language: 'en',
      target_language: 'es',
      video_duration_seconds: 90,
      simulate: { duration_ms: 500 },
    });
    expect(job).toMatchObject({ id: 'job_9', url: 'http://jobs.test/jobs/job_9' });
  });

  it('sends a fresh Idempotency-Key per call', async () => {
    const h = harness(() => json({ id: 'job_9', result: 'pending' }, 201));
    const input = { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 1 };
    await client(h).createJob(input);
    await client(h).createJob(input);
    const keys = h.requests.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it.each([
    ['a 500', json({ error: { code: 'internal_error', message: 'boom' } }, 500)],
    ['a lost answer (network error)', new TypeError('fetch failed')],
    [
      'a create still in progress (409 with Retry-After)',
      json({ error: { code: 'idempotency_in_progress', message: 'busy' } }, 409, { 'retry-after': '1' }),
    ],
  ])('retries %s with the same Idempotency-Key', async (_name, first) => {
    let calls = 0;
    const h = harness(() => {
      calls += 1;
      if (calls > 1) return json({ id: 'job_9', result: 'pending' }, 200);
      if (first instanceof Error) throw first;
      return first;
    });
    const job = await drive(
      h.clock,
      client(h).createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 1 }),
    );
    expect(job.id).toBe('job_9');
    expect(h.requests).toHaveLength(2);
    expect(h.requests[1]?.headers.get('idempotency-key')).toBe(h.requests[0]?.headers.get('idempotency-key'));
  });

  it('does not retry a refusal that will not change (422 idempotency_conflict)', async () => {
    const h = harness(() => json({ error: { code: 'idempotency_conflict', message: 'other body' } }, 422));
    await expect(
      client(h).createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 1 }),
    ).rejects.toBeInstanceOf(HttpError);
    expect(h.requests).toHaveLength(1);
  });
});

describe('long-poll that follows the stages', () => {
  // Stages change at 0, 10, 20 and 30 s; the job ends at 40 s. Holds wake at the next change.
  const changes = [0, 10_000, 20_000, 30_000, 40_000];
  const stages = ['queued', 'translating', 'rendering', 'muxing', 'done'];
  const versionAt = (t: number): number => changes.filter((c) => c <= t).length;
  const body = (t: number): Record<string, unknown> => {
    const v = versionAt(t);
    const done = v === changes.length;
    return {
      id: 'job_1',
      result: done ? 'completed' : 'pending',
      stage: stages[v - 1],
      version: v,
      ...(done ? {} : { eta_ms: 40_000 - t }),
    };
  };
  function stagedServer(): Harness {
    return harness(async (request, clock) => {
      const headers = { 'status-capabilities': 'long-poll; max-wait=30' };
      const prefer = /wait=(\d+)/.exec(request.headers.get('prefer') ?? '');
      if (prefer === null) return json(body(clock.now()), 200, headers);
      const seen = Number(/"v(\d+)"/.exec(request.headers.get('if-none-match') ?? '')?.[1] ?? NaN);
      const next = changes.find((c) => c > clock.now());
      if (versionAt(clock.now()) === seen && next !== undefined) {
        await clock.sleep(Math.min(Number(prefer[1]) * 1000, next - clock.now()), request.signal);
      }
      return json(body(clock.now()), 200, { ...headers, 'preference-applied': `wait=${prefer[1] ?? ''}` });
    });
  }

  it('reports every stage change as it happens, at one held request per change', async () => {
    const h = stagedServer();
    const seen: string[] = [];
    const wait = client(h).waitForCompletion('job_1', {
      transport: 'long-poll',
      onStatus: (s, info) => seen.push(`${s.stage ?? ''}@${info.elapsedMs}`),
    });
    const done = await drive(h.clock, wait);
    expect(seen).toEqual(['queued@0', 'translating@10000', 'rendering@20000', 'muxing@30000', 'done@40000']);
    // One plain read for the state at the start, then one held request per change.
    expect(h.times()).toEqual([0, 0, 10_000, 20_000, 30_000]);
    expect(done.stats).toMatchObject({ requests: 5, transport: 'long-poll', elapsedMs: 40_000 });
  });
});
