import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../protocol/status.js';
import { etaGraceMs, streamSilenceMs, suspectAt } from './silence.js';

const status = (result: JobStatus['result'], etaMs: number | undefined): JobStatus => ({
  jobId: 'j',
  result,
  stage: undefined,
  progress: undefined,
  etaMs,
  version: 1,
  error: undefined,
  body: {},
});

describe('etaGraceMs', () => {
  it.each([
    [0, 1_000],
    [5_000, 1_000],
    [10_000, 2_000],
    [60_000, 12_000],
  ])('an ETA of %i ms gets %i ms of grace', (eta, grace) => {
    expect(etaGraceMs(eta)).toBe(grace);
  });
});

describe('suspectAt', () => {
  it.each<[string, JobStatus | undefined, number | undefined, number | undefined]>([
    ['a pending job: read time + ETA + grace', status('pending', 5_000), 1_000, 7_000],
    ['no estimate: nothing to suspect', status('pending', undefined), 1_000, undefined],
    ['an ended job: nothing to suspect', status('completed', undefined), 1_000, undefined],
    ['nothing read yet', undefined, undefined, undefined],
  ])('%s', (_name, s, at, expected) => {
    expect(suspectAt(s, at)).toBe(expected);
  });
});

describe('streamSilenceMs', () => {
  it.each<[number | undefined, number]>([
    [undefined, 18_000],
    [15_000, 18_000],
    [5_000, 7_000],
    [60_000, 72_000],
  ])('a heartbeat of %s ms: reconnect after %i ms of silence', (heartbeat, silence) => {
    expect(streamSilenceMs(heartbeat)).toBe(silence);
  });
});
