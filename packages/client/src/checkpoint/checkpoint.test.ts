import { describe, expect, it } from 'vitest';
import type { TranslationClient } from '../client.js';
import { ConfigurationError, WaitTimeoutError } from '../errors/index.js';
import { NO_CAPABILITIES, type Capabilities } from '../protocol/capabilities.js';
import { answerJob, BASE, drive, harness, runUntil, type Harness } from '../test-support/scenario.js';
import { testClient } from '../test-support/test-client.js';
import { createWatchState } from '../watch/state.js';
import { WaitMemory, type Checkpoint } from './checkpoint.js';
import { readCheckpoint, seedWatch } from './resume.js';

const PREFIX = 'tsc1.';

const ORIGIN = 'http://jobs.test/';

/** What the server announced when the checkpoint was taken; the checkpoint carries it back. */
const CAPABILITIES: Capabilities = {
  ...NO_CAPABILITIES,
  longPoll: true,
  maxWaitS: 30,
  events: true,
  heartbeatMs: 15_000,
  batch: true,
};

/** A checkpoint string of a wait on `jobId` that read version 4 with a 12 s ETA at `readAt`. */
function taken(jobId = 'job_é1', deadlineAt = 1_800_000_000_000): string {
  const memory = new WaitMemory(ORIGIN);
  const state = createWatchState(jobId, `${ORIGIN}jobs/${jobId}`, 0);
  state.status = {
    jobId,
    result: 'pending',
    stage: 'translating',
    progress: 0.5,
    etaMs: 12_000,
    version: 4,
    error: undefined,
    body: {},
  };
  state.statusAt = 1_000;
  state.lastEventId = '4';
  memory.record(jobId, state, deadlineAt);
  return memory.take(jobId, CAPABILITIES);
}

/** What resuming from `text` throws. */
async function refusal(text: unknown, jobId: string | undefined): Promise<ConfigurationError> {
  const server = { capabilities: undefined };
  const error: unknown = await new WaitMemory(ORIGIN)
    .resume(text, jobId, { server, now: 0, timeoutMs: undefined })
    .then(
      () => new Error('accepted'),
      (e: unknown) => e,
    );
  if (error instanceof ConfigurationError) return error;
  throw error;
}

const encode = (value: object): string => `tsc1.${btoa(JSON.stringify(value))}`;

describe('checkpoints', () => {
  it('round-trip as a versioned, URL-safe string holding what the wait learnt', () => {
    const text = taken();
    expect(text).toMatch(/^tsc1\.[A-Za-z0-9_-]+$/);
    expect(readCheckpoint(text, 'job_é1', ORIGIN, PREFIX)).toEqual<Checkpoint>({
      jobId: 'job_é1',
      origin: ORIGIN,
      deadlineAt: 1_800_000_000_000,
      version: 4,
      etaMs: 12_000,
      readAt: 1_000,
      capabilities: CAPABILITIES,
      lastEventId: '4',
    });
  });

  it('keep a wait without a deadline as one', () => {
    expect(readCheckpoint(taken('job_1', Infinity), 'job_1', ORIGIN, PREFIX)).toMatchObject({
      deadlineAt: null,
    });
  });

  it.each<[string, unknown, string | undefined, RegExp]>([
    ['another job', taken('job_2'), 'job_é1', /of job 'job_é1'; this one is of job 'job_2'/],
    [
      'another server',
      encode({ jobId: 'job_1', origin: 'http://other.test/', deadlineAt: null }),
      'job_1',
      /taken against http:\/\/other\.test\//,
    ],
    ['a truncated one', taken().slice(0, 30), 'job_é1', /malformed or truncated/],
    ['garbage', 'hello', 'job_é1', /malformed or truncated/],
    [
      'a bad field',
      encode({ jobId: 'job_1', origin: ORIGIN, deadlineAt: null, version: 'x' }),
      'job_1',
      /malformed/,
    ],
    ['JSON that is not an object', `tsc1.${btoa('42')}`, 'job_1', /malformed/],
    ['not a string', 42, 'job_1', /a string from client\.checkpoint/],
    ['no job id beside it', taken(), undefined, /a job id beside it/],
  ])('refuse %s with a ConfigurationError on resumeFrom', async (_name, text, jobId, expected) => {
    const error = await refusal(text, jobId);
    expect(error.option).toBe('resumeFrom');
    expect(error.message).toMatch(expected);
  });

  it('seed a fresh watch at the last version, its ETA counted down, never as a status to report', () => {
    const checkpoint = readCheckpoint(taken(), 'job_é1', ORIGIN, PREFIX);
    if (typeof checkpoint === 'string') throw new Error(checkpoint);
    const state = createWatchState('job_é1', `${ORIGIN}jobs/job_é1`, 5_000);
    seedWatch(state, checkpoint, 5_000);
    expect(state.status).toMatchObject({ result: 'pending', version: 4, etaMs: 8_000 });
    expect(state.seeded).toBe(true);
    expect(state.lastEventId).toBe('4');
  });
});

const client = (h: Harness): TranslationClient => testClient(h);

describe('client.checkpoint and resumeFrom', () => {
  it('a wait that ran out saves a checkpoint; a new client resumes it held from the last version', async () => {
    const h = harness((request, clock) =>
      answerJob(clock, { doneAt: 50_000, longPoll: true, eta: true }, request),
    );
    const first = client(h);
    await drive(
      h.clock,
      first.waitForCompletion('job_1', { timeoutMs: 10_000 }).catch(() => undefined),
    );
    const saved = first.checkpoint('job_1');
    const before = h.requests.length;
    // A new client (another process) knows nothing of the server: the checkpoint tells it.
    const done = await drive(
      h.clock,
      client(h).waitForCompletion('job_1', { resumeFrom: saved, timeoutMs: 600_000 }),
    );
    expect(done.status.result).toBe('completed');
    const next = h.requests[before];
    expect(next?.headers.get('prefer')).toMatch(/^wait=\d+$/);
    expect(next?.headers.get('if-none-match')).toBe('"v1"');
  });

  it('keeps the deadline of the checkpoint unless timeoutMs is given', async () => {
    const h = harness((request, clock) => answerJob(clock, { doneAt: 500_000, longPoll: true }, request));
    const c = client(h);
    const controller = new AbortController();
    const wait = c.waitForCompletion('job_1', { timeoutMs: 30_000, signal: controller.signal });
    await runUntil(h.clock, 1_000);
    controller.abort(new Error('function frozen'));
    await wait.catch(() => undefined);
    const resumed = client(h).waitForCompletion('job_1', { resumeFrom: c.checkpoint('job_1') });
    const error: unknown = await drive(h.clock, resumed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(h.clock.now()).toBe(30_000);
  });

  it('a job whose wait ended with it, or never waited on, has no checkpoint', async () => {
    const h = harness((request, clock) => answerJob(clock, { doneAt: 0 }, request));
    const c = client(h);
    expect(() => c.checkpoint('job_9')).toThrow(/Invalid option jobId/);
    await drive(h.clock, c.waitForCompletion('job_1'));
    expect(() => c.checkpoint('job_1')).toThrow(/has not ended/);
  });

  it('a checkpoint of another job is refused by the wait', async () => {
    const h = harness((request, clock) => answerJob(clock, { doneAt: 0 }, request));
    const other = encode({ jobId: 'job_2', origin: BASE, deadlineAt: null });
    await expect(client(h).waitForCompletion('job_1', { resumeFrom: other })).rejects.toThrow(
      /of job 'job_1'; this one is of job 'job_2'/,
    );
    expect(h.requests).toHaveLength(0);
  });
});
