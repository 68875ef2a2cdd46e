import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStatus } from './status.js';

function status(body: unknown) {
  const parsed = parseStatus(body);
  if (!parsed.ok) throw new Error(`expected a status, got: ${parsed.problem}`);
  return parsed.status;
}

describe('parseStatus', () => {
  it('reads the full job resource of the protocol', () => {
    const body = {
      id: 'job_3f9c2a1b7d',
      result: 'pending',
      stage: 'voice_synthesis',
      progress: 0.62,
      eta_ms: 41000,
      version: 4,
      source_language: 'en',
    };
    expect(status(body)).toEqual({
      jobId: 'job_3f9c2a1b7d',
      result: 'pending',
      stage: 'voice_synthesis',
      progress: 0.62,
      etaMs: 41000,
      version: 4,
      error: undefined,
      body,
    });
  });

  it('reads the classic {"result": ...} body', () => {
    expect(status({ result: 'completed' })).toMatchObject({
      jobId: undefined,
      result: 'completed',
      stage: undefined,
    });
  });

  it.each([
    ['pending', 'pending'],
    ['processing', 'pending'],
    ['RUNNING', 'pending'],
    ['queued', 'pending'],
    ['in_progress', 'pending'],
    ['started', 'pending'],
    ['completed', 'completed'],
    ['Success', 'completed'],
    ['succeeded', 'completed'],
    ['done', 'completed'],
    ['complete', 'completed'],
    ['error', 'error'],
    ['failed', 'error'],
    ['failure', 'error'],
    ['errored', 'error'],
    ['cancelled', 'error'],
    ['canceled', 'error'],
    [' completed ', 'completed'],
  ])('maps result %j to %s', (word, result) => {
    expect(status({ result: word }).result).toBe(result);
  });

  it('reads `status` when `result` is missing', () => {
    expect(status({ status: 'succeeded' }).result).toBe('completed');
  });

  it.each([
    [{ result: 'foo' }, "unknown result 'foo'; expected pending, completed or error"],
    [{ result: 42 }, 'unknown result 42; expected pending, completed or error'],
    [{}, "the body has no 'result' (or 'status') field"],
    [null, 'expected a JSON object, got null'],
    [[1], 'expected a JSON object, got an array'],
    ['completed', "expected a JSON object, got 'completed'"],
  ])('refuses %j with a clear problem', (body, problem) => {
    expect(parseStatus(body)).toEqual({ ok: false, problem });
  });

  it.each([
    ['progress above 1', { progress: 1.5 }, 'progress'],
    ['negative progress', { progress: -0.1 }, 'progress'],
    ['progress as text', { progress: '0.5' }, 'progress'],
    ['negative eta', { eta_ms: -5 }, 'etaMs'],
    ['fractional version', { version: 1.5 }, 'version'],
    ['numeric stage', { stage: 3 }, 'stage'],
    ['empty id', { id: '' }, 'jobId'],
  ] as const)('ignores %s instead of failing', (_name, extra, field) => {
    expect(status({ result: 'pending', ...extra })[field]).toBeUndefined();
  });

  it('drops the eta of a job that has ended', () => {
    expect(status({ result: 'completed', eta_ms: 100 }).etaMs).toBeUndefined();
  });

  it('keeps the error of a failed job', () => {
    expect(status({ result: 'error', error: { code: 'lip_sync_failed', message: 'No face' } }).error).toEqual(
      {
        code: 'lip_sync_failed',
        message: 'No face',
      },
    );
  });

  it('gives an error result without an error object the code unknown_error', () => {
    expect(status({ result: 'failed' }).error?.code).toBe('unknown_error');
  });

  it('uses an error given as a plain string as the message', () => {
    expect(status({ result: 'error', error: 'disk full' }).error).toEqual({
      code: 'unknown_error',
      message: 'disk full',
    });
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const parsed = parseStatus(body);
        expect(typeof parsed.ok).toBe('boolean');
      }),
    );
  });

  it('always yields progress in [0, 1] when it yields one', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.string(), fc.constant(null)), (progress) => {
        const parsed = parseStatus({ result: 'pending', progress });
        const value = parsed.ok ? parsed.status.progress : undefined;
        if (value !== undefined) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
