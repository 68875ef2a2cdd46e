import {
  ConfigurationError,
  HttpError,
  JobFailedError,
  NetworkError,
  WaitTimeoutError,
} from '@translation-status/client';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../args/usage-error.js';
import { InterruptedError } from './cli-errors.js';
import { exitCodeFor } from './exit-codes.js';

const failedStatus = {
  jobId: 'job_1',
  result: 'error',
  stage: 'failed',
  progress: 0.5,
  etaMs: undefined,
  version: 5,
  error: { code: 'render_failed', message: 'out of memory' },
  body: {},
} as const;

describe('exitCodeFor', () => {
  it.each([
    ['no error', undefined, 0],
    ['a failed job', new JobFailedError({ status: failedStatus }), 1],
    ['a usage error', new UsageError('bad flag'), 2],
    ['an invalid client option', new ConfigurationError({ option: 'x', value: 1, expected: 'y' }), 2],
    ['the wait timing out', new WaitTimeoutError({ timeoutMs: 1000 }), 3],
    ['an HTTP error', new HttpError({ url: 'http://x/', status: 404 }), 4],
    ['a network error', new NetworkError({ url: 'http://x/', cause: new Error('ECONNREFUSED') }), 4],
    ['a plain Error', new Error('boom'), 4],
    ['a thrown string', 'boom', 4],
    ['Ctrl-C', new InterruptedError('SIGINT'), 130],
    ['SIGTERM', new InterruptedError('SIGTERM'), 143],
  ])('%s exits %i', (_name, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});
