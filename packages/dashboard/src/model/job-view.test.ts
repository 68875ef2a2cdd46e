import { parseStatus, type JobStatus } from '@translation-status/client';
import { describe, expect, it } from 'vitest';
import { describeJob, formatClock, formatEta, newestFirst, type JobRecord } from './job-view.js';

/** A job resource as the server sends it, read by the client library's own parser. */
function status(fields: Record<string, unknown>): JobStatus {
  const parsed = parseStatus({
    id: 'job_a',
    result: 'pending',
    stage: 'voice_synthesis',
    progress: 0.62,
    source_language: 'en',
    target_language: 'pt-BR',
    video_duration_seconds: 90,
    created_at: '2026-12-01T10:00:00.000Z',
    completed_at: null,
    eta_ms: 41_000,
    version: 4,
    ...fields,
  });
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.status;
}

const record = (fields: Record<string, unknown> = {}, extra: Partial<JobRecord> = {}): JobRecord => ({
  id: 'job_a',
  status: status(fields),
  seenAtMs: 1_000,
  ...extra,
});

describe('describeJob', () => {
  it('shows a pending job with its stage in words, progress and a counted-down ETA', () => {
    expect(describeJob(record(), 11_000)).toEqual({
      id: 'job_a',
      languages: 'en → pt-BR',
      video: '1:30',
      percent: 62,
      stage: 'voice synthesis',
      eta: 'about 31 s',
      badge: 'pending',
      resultText: 'pending',
      detail: undefined,
      createdAt: '2026-12-01T10:00:00.000Z',
      endedAt: undefined,
    });
  });

  it.each([
    [{ result: 'completed', stage: 'done', progress: 1 }, 'completed', 'completed', undefined],
    [
      { result: 'error', stage: 'failed', error: { code: 'lip_sync_failed', message: 'No face found' } },
      'failed',
      'failed: lip_sync_failed',
      'No face found',
    ],
    [
      { result: 'error', stage: 'failed', error: { code: 'canceled', message: 'Canceled by a client' } },
      'canceled',
      'canceled',
      'Canceled by a client',
    ],
  ] as const)('ends with a text badge: %o → %s', (fields, badge, resultText, detail) => {
    const view = describeJob(record({ ...fields, completed_at: '2026-12-01T10:01:00.000Z' }), 5_000);
    expect(view).toMatchObject({ badge, resultText, detail, eta: '—', endedAt: '2026-12-01T10:01:00.000Z' });
  });

  it('shows a completed job full, whatever progress it last reported', () => {
    expect(describeJob(record({ result: 'completed', stage: 'done', progress: 0.9 }), 0).percent).toBe(100);
  });

  it('says why the page lost a job it was following', () => {
    const view = describeJob(record({}, { lost: 'No job has the id job_a' }), 1_000);
    expect(view).toMatchObject({
      badge: 'lost',
      resultText: 'lost',
      detail: 'No job has the id job_a',
      eta: '—',
    });
  });

  it('copes with a body that lacks the optional fields', () => {
    const parsed = parseStatus({ id: 'job_b', result: 'pending' });
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(describeJob({ id: 'job_b', status: parsed.status, seenAtMs: 0 }, 0)).toMatchObject({
      languages: '? → ?',
      video: '—',
      percent: 0,
      stage: 'pending',
      eta: '—',
      createdAt: undefined,
    });
  });
});

describe('formatting', () => {
  it.each([
    [0, '0:00'],
    [59.6, '1:00'],
    [90, '1:30'],
    [3725, '1:02:05'],
    [-3, '0:00'],
  ])('formatClock(%d) = %s', (seconds, text) => {
    expect(formatClock(seconds)).toBe(text);
  });

  it.each([
    [-500, 'any moment'],
    [0, 'any moment'],
    [1, 'about 1 s'],
    [41_000, 'about 41 s'],
    [89_000, 'about 89 s'],
    [90_001, 'about 2 min'],
    [45 * 60_000, 'about 45 min'],
    [125 * 60_000, 'about 2 h 5 min'],
  ])('formatEta(%d) = %s', (ms, text) => {
    expect(formatEta(ms)).toBe(text);
  });
});

describe('newestFirst', () => {
  it('orders by creation time, newest first, then by id', () => {
    const a = record({ id: 'job_a', created_at: '2026-12-01T10:00:00.000Z' }, { id: 'job_a' });
    const b = record({ id: 'job_b', created_at: '2026-12-01T10:05:00.000Z' }, { id: 'job_b' });
    const c = record({ id: 'job_c', created_at: '2026-12-01T10:05:00.000Z' }, { id: 'job_c' });
    expect([a, b, c].sort(newestFirst).map((r) => r.id)).toEqual(['job_c', 'job_b', 'job_a']);
  });
});
