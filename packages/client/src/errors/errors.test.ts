import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../protocol/status.js';
import {
  ConfigurationError,
  formatDuration,
  formatErrorMessage,
  HttpError,
  JobFailedError,
  NetworkError,
  ProtocolError,
  RequestTimeoutError,
  RetriesExhaustedError,
  TranslationStatusError,
  WaitTimeoutError,
  WebhookVerificationError,
} from './index.js';

const failedStatus: JobStatus = {
  jobId: 'job_1',
  result: 'error',
  stage: 'failed',
  progress: 0.4,
  etaMs: undefined,
  version: 5,
  error: { code: 'lip_sync_failed', message: 'No face was found' },
  body: {},
};

const cases = [
  {
    error: new ConfigurationError({ option: 'polling.jitter', value: 2, expected: 'a share in [0, 1]' }),
    code: 'invalid_option',
    name: 'ConfigurationError',
  },
  { error: new JobFailedError({ status: failedStatus }), code: 'job_failed', name: 'JobFailedError' },
  { error: new WaitTimeoutError({ timeoutMs: 1000 }), code: 'wait_timeout', name: 'WaitTimeoutError' },
  { error: new HttpError({ url: 'http://x/jobs/a', status: 500 }), code: 'http_error', name: 'HttpError' },
  { error: new NetworkError({ url: 'http://x/' }), code: 'network_error', name: 'NetworkError' },
  {
    error: new RequestTimeoutError({ url: 'http://x/', timeoutMs: 10 }),
    code: 'request_timeout',
    name: 'RequestTimeoutError',
  },
  { error: new ProtocolError({ problem: 'bad' }), code: 'protocol_error', name: 'ProtocolError' },
  {
    error: new RetriesExhaustedError({ maxRetries: 3 }),
    code: 'retries_exhausted',
    name: 'RetriesExhaustedError',
  },
  {
    error: new WebhookVerificationError({ reason: 'bad_signature', problem: 'no signature matches' }),
    code: 'webhook_verification_failed',
    name: 'WebhookVerificationError',
  },
];

describe('error classes', () => {
  it.each(cases)('$name has code $code, its own name and the base class', ({ error, code, name }) => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(TranslationStatusError);
    expect(error).toBeInstanceOf(Error);
  });

  it('keeps the cause', () => {
    const cause = new TypeError('fetch failed');
    expect(new NetworkError({ url: 'http://x/', cause }).cause).toBe(cause);
  });

  it('says which job, after how long and how many requests', () => {
    const error = new WaitTimeoutError({
      jobId: 'job_9',
      timeoutMs: 60_000,
      elapsedMs: 60_000,
      attempts: 12,
    });
    expect(error.message).toContain("job 'job_9'");
    expect(error.message).toContain('after 1 min 0 s and 12 requests');
    expect(error.message).toContain('raise timeoutMs');
  });

  it('JobFailedError exposes the job error and takes the job id from the status', () => {
    const error = new JobFailedError({ status: failedStatus, elapsedMs: 500, attempts: 1 });
    expect(error.jobErrorCode).toBe('lip_sync_failed');
    expect(error.jobErrorMessage).toBe('No face was found');
    expect(error.jobId).toBe('job_1');
    expect(error.status).toBe(failedStatus);
    expect(error.message).toContain('lip_sync_failed: No face was found');
  });

  it('JobFailedError falls back to unknown_error when the status has no error', () => {
    const error = new JobFailedError({ status: { ...failedStatus, error: undefined } });
    expect(error.jobErrorCode).toBe('unknown_error');
  });

  it('HttpError carries the status, the server code and a hint for 401', () => {
    const error = new HttpError({
      url: 'http://x/jobs/a',
      status: 401,
      serverCode: 'unauthorized',
      serverMessage: 'no key',
    });
    expect(error.status).toBe(401);
    expect(error.serverCode).toBe('unauthorized');
    expect(error.message).toContain('HTTP 401: unauthorized: no key');
    expect(error.message).toContain('apiKey');
  });

  it('ConfigurationError names the option, the value and the accepted range', () => {
    const error = new ConfigurationError({
      option: 'polling.jitter',
      value: 2,
      expected: 'a share in [0, 1]',
    });
    expect(error.option).toBe('polling.jitter');
    expect(error.value).toBe(2);
    expect(error.message).toBe('Invalid option polling.jitter: got 2, expected a share in [0, 1].');
  });

  it('addContext fills missing facts, keeps known ones and rebuilds the message', () => {
    const error = new HttpError({ jobId: 'a', url: 'http://x/', status: 400 });
    error.addContext({ jobId: 'b', elapsedMs: 1500, attempts: 2 });
    expect(error.jobId).toBe('a');
    expect(error.elapsedMs).toBe(1500);
    expect(error.message).toContain("job 'a', after 1.5 s and 2 requests");
  });

  it("forWait gives one wait's copy of a shared failure and leaves the original alone", () => {
    const cause = new NetworkError({ url: 'http://x/' });
    const error = new RetriesExhaustedError({
      maxRetries: 3,
      cause,
      jobId: 'a',
      elapsedMs: 9000,
      attempts: 7,
    });
    const copy = error.forWait({ elapsedMs: 2000, attempts: 1 });
    expect(copy).not.toBe(error);
    expect(copy).toBeInstanceOf(RetriesExhaustedError);
    expect(copy).toMatchObject({ code: error.code, jobId: 'a', maxRetries: 3, elapsedMs: 2000, attempts: 1 });
    expect(copy.cause).toBe(cause);
    expect(copy.message).toContain("job 'a', after 2.0 s and 1 request");
    expect(copy.stack).toContain(copy.message); // what loggers print agrees with the fields
    expect(copy.stack).not.toContain('9.0 s');
    expect(Object.prototype.toString.call(copy)).toBe('[object Error]');
    expect(structuredClone(copy)).toMatchObject({ message: copy.message });
    expect(error.message).toContain('after 9.0 s and 7 requests');
    expect(error.forWait({ elapsedMs: 9000, attempts: 7 })).toBe(error);
  });

  it('RetriesExhaustedError quotes the last failure', () => {
    const cause = new NetworkError({ url: 'http://x/' });
    const error = new RetriesExhaustedError({ maxRetries: 3, cause });
    expect(error.maxRetries).toBe(3);
    expect(error.message).toContain('after 3 retries');
    expect(error.message).toContain(cause.message);
  });
});

describe('formatErrorMessage', () => {
  it.each([
    [{}, undefined, 'Boom.'],
    [{ jobId: 'j' }, undefined, "Boom (job 'j')."],
    [{ attempts: 1 }, 'Retry.', 'Boom (after 1 request). Retry.'],
    [{ jobId: 'j', elapsedMs: 250, attempts: 3 }, undefined, "Boom (job 'j', after 250 ms and 3 requests)."],
  ])('formats %j', (context, advice, expected) => {
    expect(formatErrorMessage('Boom', context, advice)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [950, '950 ms'],
    [12_345, '12.3 s'],
    [245_000, '4 min 5 s'],
    [7_380_000, '2 h 3 min'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
