import { describe, expect, it } from 'vitest';
import { runPolicyBenchmark } from '../bench/policy/benchmark.js';
import {
  jobPath,
  MAX_RESULT_WAIT_SECONDS,
  MAX_WAIT_SECONDS,
  ORIGIN,
  simulateJob,
} from '../bench/policy/fake-server.js';
import type { ServerScenario } from '../bench/policy/fake-server.js';
import { parseSeconds, readSection, renderSection, traceLine } from '../bench/policy/report.js';
import { replayJob, replayTrace, VIRTUAL_START_MS } from '../bench/policy/replay.js';
import { AWS_WAITER_DEFAULTS, awsWaiter, WaiterTimeoutError } from '../bench/policy/strategies/aws-waiter.js';
import { azureCoreLro } from '../bench/policy/strategies/azure-core-lro.js';
import { fixedInterval } from '../bench/policy/strategies/fixed-interval.js';
import { GAX_LRO_DEFAULTS, gaxLro } from '../bench/policy/strategies/gax-lro.js';
import { heygenCompetitorSpecs, HEYGEN_SERVER } from '../bench/policy/strategies/heygen.js';
import { competitorSpecs, HINTING_SERVER, PHYSICAL_LIMIT } from '../bench/policy/strategies/index.js';
import type { Strategy } from '../bench/policy/strategies/types.js';
import { seededRandom } from '../bench/policy/random.js';
import { DEFAULT_TRACE, generateTrace } from '../bench/policy/trace.js';
import type { TraceJob } from '../bench/policy/trace.js';
import { VirtualClock } from '../bench/policy/virtual-clock.js';

const small = { ...DEFAULT_TRACE, jobs: 50, seed: 7 };
const trace = generateTrace(small);

interface Observed {
  /** Virtual ms since creation of each request, with the answer's headers. */
  readonly requests: { at: number; headers: Headers }[];
  readonly endedAt: number;
  readonly error: unknown;
}

/** Runs one strategy on one job and records when each request was made. */
async function observe(strategy: Strategy, job: TraceJob, scenario: ServerScenario): Promise<Observed> {
  const clock = new VirtualClock(VIRTUAL_START_MS);
  const server = simulateJob(job, clock, scenario);
  const requests: { at: number; headers: Headers }[] = [];
  const recording: typeof fetch = async (input, init) => {
    const at = clock.now() - VIRTUAL_START_MS;
    const response = await server.fetch(input, init);
    requests.push({ at, headers: response.headers });
    return response;
  };
  let error: unknown;
  try {
    await clock.drive(
      strategy(`${ORIGIN}/jobs/${job.id}`, { fetch: recording, clock, random: seededRandom(1) }),
    );
  } catch (e) {
    error = e;
  }
  return { requests, endedAt: clock.now() - VIRTUAL_START_MS, error };
}

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - (times[i] ?? 0));
}

describe('trace', () => {
  it('is reproducible from its seed and stays within the clamp', () => {
    expect(generateTrace(small)).toEqual(trace);
    expect(generateTrace({ ...small, seed: 8 })).not.toEqual(trace);
    for (const job of trace) {
      expect(job.durationMs).toBeGreaterThanOrEqual(DEFAULT_TRACE.minMs);
      expect(job.durationMs).toBeLessThanOrEqual(DEFAULT_TRACE.maxMs);
      expect(job.stages[0]?.startMs).toBe(0);
      expect(Math.abs(job.etaBias)).toBeLessThanOrEqual(DEFAULT_TRACE.etaBias);
    }
  });

  it('has a median near 8 minutes over many jobs', () => {
    const durations = generateTrace({ ...DEFAULT_TRACE, jobs: 4000 })
      .map((j) => j.durationMs)
      .sort((a, b) => a - b);
    const median = durations[durations.length / 2] ?? 0;
    expect(median).toBeGreaterThan(0.9 * DEFAULT_TRACE.medianMs);
    expect(median).toBeLessThan(1.1 * DEFAULT_TRACE.medianMs);
  });
});

describe('competitor models', () => {
  it('naive 1 s makes one request per started second and learns within 1 s', async () => {
    const samples = await replayTrace(
      { name: 'naive', scenario: HINTING_SERVER, create: () => fixedInterval(1000) },
      trace,
    );
    samples.forEach((s, i) => {
      const seconds = Math.ceil((trace[i]?.durationMs ?? 0) / 1000);
      expect(s.requests).toBe(seconds + 1);
      expect(s.detectionDelayMs).toBeGreaterThanOrEqual(0);
      expect(s.detectionDelayMs).toBeLessThan(1000);
    });
  });

  it('gax starts at once, never polls faster than 100 ms, grows by 1.3 and caps at 60 s', async () => {
    const job = trace.find((j) => j.durationMs > 10 * 60_000) ?? trace[0];
    if (job === undefined) throw new Error('empty trace');
    const seen = await observe(gaxLro(GAX_LRO_DEFAULTS), job, HINTING_SERVER);
    expect(seen.requests[0]?.at).toBe(0);
    const between = gaps(seen.requests.map((r) => r.at));
    expect(between[0]).toBe(100);
    for (const [i, gap] of between.entries()) {
      expect(gap).toBeGreaterThanOrEqual(100);
      expect(gap).toBeLessThanOrEqual(60_000);
      if (i > 0) expect(gap).toBeCloseTo(Math.min(60_000, (between[i - 1] ?? 0) * 1.3), 2);
    }
    expect(seen.endedAt).toBeGreaterThanOrEqual(job.durationMs);
  });

  it('the AWS waiter sleeps 2 to 120 s and gives up without a last poll when the budget would pass', async () => {
    const job = trace.find((j) => j.durationMs > 20 * 60_000) ?? trace[0];
    if (job === undefined) throw new Error('empty trace');
    const full = await observe(
      awsWaiter({ ...AWS_WAITER_DEFAULTS, maxWaitTimeSeconds: 10_800 }),
      job,
      HINTING_SERVER,
    );
    expect(full.error).toBeUndefined();
    for (const gap of gaps(full.requests.map((r) => r.at))) {
      expect(gap).toBeGreaterThanOrEqual(2000);
      expect(gap).toBeLessThanOrEqual(120_000);
    }
    const budgetMs = 60_000;
    const cut = await observe(
      awsWaiter({ ...AWS_WAITER_DEFAULTS, maxWaitTimeSeconds: 60 }),
      job,
      HINTING_SERVER,
    );
    expect(cut.error).toBeInstanceOf(WaiterTimeoutError);
    expect(cut.requests.every((r) => r.at <= budgetMs)).toBe(true);
    expect(cut.endedAt).toBeLessThanOrEqual(budgetMs);
  });

  it('Azure core-lro sleeps each Retry-After it is given, and 2 s without one', async () => {
    const job = trace[0];
    if (job === undefined) throw new Error('empty trace');
    const hinted = await observe(azureCoreLro, job, HINTING_SERVER);
    hinted.requests.slice(0, -1).forEach((r, i) => {
      const next = hinted.requests[i + 1];
      expect(next?.at).toBe(r.at + Number(r.headers.get('retry-after')) * 1000);
    });
    const plain = await observe(azureCoreLro, job, { hints: false, capability: 'none' });
    expect(new Set(gaps(plain.requests.map((r) => r.at)))).toEqual(new Set([2000]));
  });

  it('the physical limit asks exactly once, at the end', async () => {
    for (const job of trace.slice(0, 10)) {
      const sample = await replayJob(PHYSICAL_LIMIT, job);
      expect(sample).toMatchObject({ requests: 1, detectionDelayMs: 0, failure: undefined });
    }
  });

  it('every competitor learns the outcome of every job, never before it ends', async () => {
    const fewer = { ...small, jobs: 25 };
    const results = await runPolicyBenchmark(fewer, competitorSpecs());
    for (const { summary } of results) {
      expect(summary.failures).toBe(0);
      expect(summary.danglingTimers).toBe(0);
      expect(summary.delayMeanMs).toBeGreaterThanOrEqual(0);
    }
    // Deterministic: a second run gives identical figures.
    expect((await runPolicyBenchmark(fewer, competitorSpecs())).map((r) => r.summary)).toEqual(
      results.map((r) => r.summary),
    );
    // Pure computation on a simulated clock (about 8 s on a quiet 2-core machine): the bound is for a
    // busy one, where the default 20 s ran out at a load of 11.
  }, 90_000);
});

describe('simulated server', () => {
  const job = trace[0];
  if (job === undefined) throw new Error('empty trace');
  const url = `${ORIGIN}/jobs/${job.id}`;

  it('sends hints within the protocol bounds while pending, and none on a classic server', async () => {
    const clock = new VirtualClock(VIRTUAL_START_MS);
    const hinting = simulateJob(job, clock, HINTING_SERVER);
    const answer = await hinting.fetch(url);
    const pollAfter = Number(answer.headers.get('poll-after-ms'));
    expect(pollAfter).toBeGreaterThanOrEqual(100);
    expect(pollAfter).toBeLessThanOrEqual(30_000);
    expect(Number(answer.headers.get('retry-after'))).toBe(Math.max(1, Math.ceil(pollAfter / 1000)));
    expect(await answer.json()).toMatchObject({ id: job.id, result: 'pending', version: 1 });
    const plain = simulateJob(job, clock, { hints: false, capability: 'none' });
    const classic = await plain.fetch(`${ORIGIN}/status?job_id=${job.id}`);
    expect(classic.headers.has('retry-after')).toBe(false);
    expect(classic.headers.has('status-capabilities')).toBe(false);
    expect((await plain.fetch(`${url}/events`)).status).toBe(404);
  });

  it('holds a long-poll until the next change or the server cap, as one request', async () => {
    const clock = new VirtualClock(VIRTUAL_START_MS);
    const server = simulateJob(job, clock, { hints: true, capability: 'long-poll' });
    const answer = await clock.drive(
      server.fetch(url, { headers: { prefer: 'wait=600', 'if-none-match': '"v1"' } }),
    );
    const firstChange = job.stages[1]?.startMs ?? job.durationMs;
    expect(clock.now() - VIRTUAL_START_MS).toBe(Math.min(MAX_WAIT_SECONDS * 1000, firstChange));
    expect(answer.headers.get('preference-applied')).toBe(`wait=${MAX_WAIT_SECONDS}`);
    expect(server.requests()).toBe(1);
  });

  it('holds a wake=result long-poll through stage changes, up to the longer cap for endings', async () => {
    const clock = new VirtualClock(VIRTUAL_START_MS);
    const server = simulateJob(job, clock, { hints: true, capability: 'long-poll' });
    const answer = await clock.drive(
      server.fetch(`${url}?wake=result`, { headers: { prefer: 'wait=3600' } }),
    );
    expect(MAX_RESULT_WAIT_SECONDS).toBeGreaterThan(MAX_WAIT_SECONDS);
    expect(clock.now() - VIRTUAL_START_MS).toBe(Math.min(MAX_RESULT_WAIT_SECONDS * 1000, job.durationMs));
    expect(answer.headers.get('preference-applied')).toBe(`wait=${MAX_RESULT_WAIT_SECONDS}`);
    expect(answer.headers.get('status-capabilities')).toBe(
      `long-poll; max-wait=${MAX_WAIT_SECONDS}; max-result-wait=${MAX_RESULT_WAIT_SECONDS}`,
    );
  });

  it('streams one event per change and closes at the end, as one request', async () => {
    const clock = new VirtualClock(VIRTUAL_START_MS);
    const server = simulateJob(job, clock, { hints: true, capability: 'events' });
    const text = await clock.drive(server.fetch(`${url}/events`).then((r) => r.text()));
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: job.stages.length + 1 }, (_, i) => i + 1));
    expect(text.trimEnd().endsWith('}')).toBe(true);
    expect(text).toContain('"result":"completed"');
    expect(clock.now() - VIRTUAL_START_MS).toBe(job.durationMs);
    expect(server.requests()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('the HeyGen-shaped server', () => {
  it('answers HeyGen body at its path, with no hint of any kind, pending then running then completed', async () => {
    const job = trace[0] as TraceJob;
    const clock = new VirtualClock(VIRTUAL_START_MS);
    const server = simulateJob(job, clock, HEYGEN_SERVER);
    const read = async () => {
      const response = await server.fetch(`${ORIGIN}${jobPath(HEYGEN_SERVER, job.id)}`);
      return {
        headers: [...response.headers.keys()],
        body: (await response.json()) as { data: { status: string } },
      };
    };
    const first = await read();
    expect(first.headers).toEqual(['content-type']);
    expect(first.body.data.status).toBe('pending');
    const running = job.stages[1]?.startMs ?? 0;
    await clock.drive(clock.sleep(running + 1));
    expect((await read()).body.data.status).toBe('running');
    await clock.drive(clock.sleep(job.durationMs));
    expect((await read()).body).toMatchObject({
      data: { status: 'completed', video_url: expect.any(String) as unknown },
    });
    expect((await server.fetch(`${ORIGIN}/jobs/${job.id}`)).status).toBe(404);
  });

  it('every competitor row ends every wait on it', async () => {
    for (const spec of heygenCompetitorSpecs()) {
      const samples = await replayTrace(spec, trace.slice(0, 10));
      expect(samples.map((s) => s.failure)).toEqual(samples.map(() => undefined));
    }
  });
});

describe('the generated section', () => {
  const rows = [
    ['naive fixed 1 s', '769', '2482', '0.50 s', '0.95 s', '1.00 s', '0.17 %', '0.59 %', '0'],
    ['ours: long-poll', '4.50', '9.00', '0 s', '0 s', '0 s', '0.00 %', '0.00 %', '0'],
  ];
  const section = renderSection(rows, {
    command: '`npm run bench:policy` (replayed in 60.0 s of wall time)',
    params: small,
    machine: 'a test',
    notes: [],
    chartPath: 'chart.svg',
    changed: [
      {
        cells: ['ours: changed, one option', '1.00', '1.00', '114 s', '0 s', '0 s', '0 %', '0 %', '0'],
        changed: 'why',
      },
    ],
  });

  it('reads back every row by name, with the command and the trace, for a partial run to keep', () => {
    const read = readSection(`before\n${section}\nafter`);
    expect(read.command).toBe('`npm run bench:policy` (replayed in 60.0 s of wall time)');
    expect(read.trace).toBe(traceLine(small));
    expect(read.otherRows).toBeUndefined();
    expect([...read.rows.keys()]).toEqual([
      'naive fixed 1 s',
      'ours: long-poll',
      'ours: changed, one option',
    ]);
    expect(read.rows.get('ours: long-poll')).toEqual(rows[1]);
  });

  it('reads printed delays back as milliseconds', () => {
    expect([parseSeconds('0 s'), parseSeconds('4.74 s'), parseSeconds('114 s'), parseSeconds('n/a')]).toEqual(
      [0, 4740, 114_000, Number.NaN],
    );
  });
});
