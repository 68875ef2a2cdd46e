import { describe, expect, it } from 'vitest';
import { HttpError, ProtocolError } from '../errors/index.js';
import { classifyResponse } from './response.js';
import { isTransientFailure } from '../policy/failure.js';

const request = { url: 'http://jobs.test/jobs/j1', jobId: 'j1' };
const classify = (status: number, text: string, headers: Record<string, string> = {}) =>
  classifyResponse(request, status, new Headers(headers), text, 0);

describe('classifyResponse', () => {
  it('accepts any 2xx with a JSON body', () => {
    expect(classify(203, '{"result":"pending"}')).toMatchObject({
      ok: true,
      status: 203,
      json: { result: 'pending' },
    });
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
  ])('turns HTTP %d into a failure that is transient: %s', (status, transient) => {
    const outcome = classify(status, '{"error":{"code":"x","message":"y"}}');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(HttpError);
    expect(isTransientFailure(outcome.failure)).toBe(transient);
  });

  it("keeps the server's error code and message", () => {
    const outcome = classify(404, '{"error":{"code":"job_not_found","message":"No job j1."}}');
    expect(outcome.ok ? undefined : outcome.error).toMatchObject({
      serverCode: 'job_not_found',
      serverMessage: 'No job j1.',
    });
  });

  it('reads Retry-After from a 429', () => {
    const outcome = classify(429, '', { 'retry-after': '2' });
    expect(outcome.ok ? undefined : outcome.failure).toEqual({
      kind: 'http',
      status: 429,
      retryAfterMs: 2_000,
    });
  });

  it.each([
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
    ['a truncated body', '{"result":"pend'],
    ['an empty body', ''],
  ])('treats %s on a 2xx as a malformed (transient) failure', (_name, text) => {
    const outcome = classify(200, text);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toEqual({ kind: 'malformed' });
    expect(outcome.error).toBeInstanceOf(ProtocolError);
    expect(isTransientFailure(outcome.failure)).toBe(true);
  });

  it('quotes at most a short excerpt of a bad body', () => {
    const outcome = classify(200, `<html>${'x'.repeat(5_000)}</html>`);
    expect(outcome.ok ? '' : outcome.error.message.length).toBeLessThan(600);
  });
});
