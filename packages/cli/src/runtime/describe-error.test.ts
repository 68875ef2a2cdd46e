import {
  ConfigurationError,
  HttpError,
  JobFailedError,
  NetworkError,
  ProtocolError,
  RequestTimeoutError,
  RetriesExhaustedError,
  WaitTimeoutError,
} from '@translation-status/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../args/usage-error.js';
import { InterruptedError, UnreachableError } from './cli-errors.js';
import { describeError, inCliWords, summariseBody } from './describe-error.js';

const refused = new NetworkError({
  url: 'http://127.0.0.1:9/status',
  cause: new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }),
});
const html502 = new HttpError({
  url: 'http://127.0.0.1:9/status',
  status: 502,
  serverMessage:
    '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
});
const notFound = new HttpError({
  url: 'http://127.0.0.1:9/jobs/job_nope',
  status: 404,
  serverCode: 'job_not_found',
  serverMessage: "No job has the id 'job_nope'. Create one with POST /jobs.",
  jobId: 'job_nope',
  elapsedMs: 163,
  attempts: 1,
});
const badCreate = new HttpError({
  url: 'http://127.0.0.1:9/jobs',
  status: 400,
  serverCode: 'invalid_request',
  serverMessage: 'The request is invalid: body.video_duration_seconds must be at most 14400.',
});
const failedStatus = {
  jobId: 'job_1',
  result: 'error',
  stage: 'failed',
  progress: 0.5,
  etaMs: undefined,
  version: 5,
  error: { code: 'render_failed', message: 'out of memory.' },
  body: {},
} as const;

const cases: readonly (readonly [string, Error, string])[] = [
  [
    'a refused connection',
    refused,
    'could not reach http://127.0.0.1:9/status: connect ECONNREFUSED 127.0.0.1:9. Check --base-url, and that the server is running.',
  ],
  [
    'an HTML 502',
    html502,
    'the server answered HTTP 502: an HTML page ("502 Bad Gateway") (http://127.0.0.1:9/status). The server is overloaded or failing: try again later.',
  ],
  [
    'an unknown job',
    notFound,
    "the server answered HTTP 404 job_not_found: No job has the id 'job_nope'. Create one with POST /jobs (http://127.0.0.1:9/jobs/job_nope) (job 'job_nope', after 163ms and 1 request). Check the job id and --base-url.",
  ],
  [
    'a refused create, in flags',
    badCreate,
    'the server answered HTTP 400 invalid_request: The request is invalid: --duration must be at most 14400 (http://127.0.0.1:9/jobs).',
  ],
  [
    'a wrong key',
    new HttpError({
      url: 'http://x/status',
      status: 401,
      serverCode: 'unauthorized',
      serverMessage: 'Bad key.',
    }),
    'the server answered HTTP 401 unauthorized: Bad key (http://x/status). Check --api-key (or TRANSLATION_STATUS_API_KEY).',
  ],
  [
    'a timeout',
    new WaitTimeoutError({ jobId: 'job_1', timeoutMs: 400, attempts: 2, elapsedMs: 400 }),
    "the job was still pending when --timeout 400ms passed (job 'job_1', after 400ms and 2 requests). It may still finish: wait again, or raise --timeout.",
  ],
  [
    'a failed job',
    new JobFailedError({ status: failedStatus }),
    "the job failed with render_failed: out of memory (job 'job_1').",
  ],
  [
    'retries running out after a 502',
    new RetriesExhaustedError({ maxRetries: 8, cause: html502, elapsedMs: 3000, attempts: 9 }),
    'gave up after 8 retries in a row; the last failure: the server answered HTTP 502: an HTML page ("502 Bad Gateway") (http://127.0.0.1:9/status) (after 3.0s and 9 requests). The server is overloaded or failing: try again later.',
  ],
  [
    'never reading the status',
    new UnreachableError(3000, 5, refused),
    "never read the job's status before --timeout 3.0s passed (5 requests); the last failure: could not reach http://127.0.0.1:9/status: connect ECONNREFUSED 127.0.0.1:9. Check --base-url, and that the server is running.",
  ],
  [
    'a page that is not the protocol',
    new ProtocolError({
      url: 'http://x/status',
      problem: 'the body is not JSON',
      body: '<!doctype html><title>Welcome to nginx!</title>',
    }),
    'http://x/status did not answer in the status protocol: the body is not JSON; it sent an HTML page ("Welcome to nginx!"). Check that --base-url points at a translation-status server.',
  ],
  [
    'a slow request',
    new RequestTimeoutError({ url: 'http://x/status', timeoutMs: 10_000 }),
    'http://x/status gave no answer within 10s. The server is slow or stuck: try again later.',
  ],
  [
    'a usage error',
    new UsageError('unknown flag --timout. Did you mean --timeout?'),
    'unknown flag --timout. Did you mean --timeout?',
  ],
  [
    'SIGTERM',
    new InterruptedError('SIGTERM'),
    'interrupted by SIGTERM: stopped waiting (the job itself goes on)',
  ],
];

describe('describeError', () => {
  it.each(cases)('%s', (_name, error, message) => {
    expect(describeError(error)).toBe(message);
  });

  const errors = fc.oneof(
    fc.constantFrom<Error>(refused, html502, notFound, badCreate),
    fc
      .record({
        status: fc.integer({ min: 400, max: 599 }),
        code: fc.constantFrom(undefined, 'x_y'),
        html: fc.boolean(),
      })
      .map(
        ({ status, code, html }) =>
          new HttpError({
            url: 'http://h/jobs',
            status,
            serverCode: code,
            serverMessage: html ? '<html><body>oops</body></html>' : 'Check the apiKey option. Use baseUrl.',
          }),
      ),
    fc.integer({ min: 1, max: 100_000 }).map((timeoutMs) => new WaitTimeoutError({ timeoutMs })),
    fc.constant<Error>(new ConfigurationError({ option: 'baseUrl', value: 'x', expected: 'an http(s) URL' })),
    fc.constant<Error>(new RetriesExhaustedError({ maxRetries: 3, cause: refused })),
  );

  it('advises in flags, never in library option names, pastes no HTML and glues no sentences', () => {
    fc.assert(
      fc.property(errors, (error) => {
        const text = describeError(error);
        return (
          !/\b(baseUrl|apiKey|timeoutMs|maxRetries|requestTimeoutMs)\b|\boption\b/.test(text) &&
          !/<html|<body|<title/i.test(text) &&
          !/\.\s+to\s/.test(text) &&
          !/\.\./.test(text) &&
          !/\. \(/.test(text)
        );
      }),
    );
  });
});

describe('inCliWords', () => {
  it.each([
    ['body.target_language must differ from body.source_language.', '--target must differ from --source.'],
    ['body.simulate.duration_ms must be at least 0', '--simulate-duration-ms must be at least 0'],
    ['Check the apiKey option', 'Check --api-key'],
    ['Invalid option baseUrl: got 1', 'Invalid --base-url: got 1'],
    ['nothing to change', 'nothing to change'],
  ])('%j → %j', (text, expected) => {
    expect(inCliWords(text)).toBe(expected);
  });
});

describe('summariseBody', () => {
  it.each([
    ['<html><head><title>502 Bad Gateway</title></head></html>', 'an HTML page ("502 Bad Gateway")'],
    ['<!DOCTYPE html><p>hi</p>', 'an HTML page'],
    ['  plain\n  text ', 'plain text'],
    ['x'.repeat(200), `${'x'.repeat(119)}…`],
  ])('%j → %j', (body, expected) => {
    expect(summariseBody(body)).toBe(expected);
  });
});
