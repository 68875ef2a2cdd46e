import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../options/defaults.js';
import { json } from '../test-support/fake-fetch.js';
import { drive, harness, type Harness } from '../test-support/scenario.js';
import { readJson, type ReaderContext, type ReaderDeps } from './retrying-request.js';

const FAILURES = 7;

/** `/flaky` answers 503 for its first FAILURES requests, `/ok` always answers. */
function setUp(): { h: Harness; deps: ReaderDeps; ctx: ReaderContext } {
  let flaky = 0;
  const h = harness((request) =>
    request.url.pathname === '/flaky' && flaky++ < FAILURES ? json({}, 503) : json({ ok: true }),
  );
  const deps: ReaderDeps = {
    fetch: h.fetch,
    clock: h.clock,
    random: () => 0.999999, // every backoff at its ceiling
    logger: h.logger,
    budget: undefined,
    headers: {},
    contact: { lastAnswerAt: -Infinity },
  };
  const ctx: ReaderContext = {
    jobId: 'job_1',
    retry: { ...DEFAULTS.retry, maxRetries: 20, budget: undefined },
    requestTimeoutMs: 1_000,
    signal: new AbortController().signal,
    startedAt: 0,
    remainingMs: () => Infinity,
    counters: { requests: 0, retries: 0 },
  };
  return { h, deps, ctx };
}

/** Gaps between the requests to `path`, rounded to the millisecond. */
const gaps = (h: Harness, path: string): number[] => {
  const times = h.requests.filter((r) => r.url.pathname === path).map((r) => r.at);
  return times.slice(1).map((t, i) => Math.round(t - (times[i] ?? 0)));
};

describe('readJson', () => {
  it('failures in a row while nobody is answered (an outage): the backoff doubles past 1 s', async () => {
    const { h, deps, ctx } = setUp();
    await drive(h.clock, readJson(deps, ctx, { url: 'http://jobs.test/flaky' }));
    expect(gaps(h, '/flaky')).toEqual([125, 250, 500, 1_000, 2_000, 4_000, 8_000]);
  });

  it("failures in a row while the client's other requests are answered (blips): retries stay within 1 s", async () => {
    const { h, deps, ctx } = setUp();
    const read = readJson(deps, ctx, { url: 'http://jobs.test/flaky' });
    const flakyDone = { now: false };
    const others = (async () => {
      while (!flakyDone.now) {
        await readJson(deps, { ...ctx, jobId: 'job_2' }, { url: 'http://jobs.test/ok' });
        await h.clock.sleep(100);
      }
    })();
    await drive(h.clock, read);
    flakyDone.now = true;
    await drive(h.clock, others);
    // The backoff doubles as usual up to 1 s; past that, each failure after another answer is a blip.
    expect(gaps(h, '/flaky')).toEqual([125, 250, 500, 1_000, 1_000, 1_000, 1_000]);
  });
});
