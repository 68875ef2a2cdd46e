/**
 * Reads a complete HTTP answer: a usable JSON body, or a failure the retry policy can judge (the
 * status, the server's error body and its `Retry-After`). Pure.
 */
import { HttpError, type TranslationStatusError } from '../errors/index.js';
import type { RequestFailure } from '../policy/failure.js';
import { parseRetryAfter } from './hints.js';
import { excerpt, protocolError } from './problem.js';
import { isRecord, stringField } from './status.js';

export type HttpOutcome =
  | { readonly ok: true; readonly status: number; readonly headers: Headers; readonly json: unknown }
  | { readonly ok: false; readonly failure: RequestFailure; readonly error: TranslationStatusError };

/** Response bodies larger than this are refused: a status document is a few hundred bytes. */
const MAX_BODY_CHARS = 4 * 1024 * 1024;

/** Turns a complete HTTP answer into an outcome. Pure. */
export function classifyResponse(
  request: { readonly url: string; readonly jobId: string | undefined },
  status: number,
  headers: Headers,
  text: string,
  nowMs: number,
): HttpOutcome {
  let json: unknown;
  let problem: string | undefined;
  if (text.length > MAX_BODY_CHARS) problem = `the body is over ${MAX_BODY_CHARS} characters`;
  else if (text.trim() === '') problem = 'the body is empty';
  else {
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      problem = 'the body is not JSON (truncated, or a proxy answered with a page?)';
    }
  }
  if (status < 200 || status > 299) {
    const serverError = isRecord(json) ? json['error'] : undefined;
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), nowMs);
    return {
      ok: false,
      failure: { kind: 'http', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
      error: new HttpError({
        jobId: request.jobId,
        url: request.url,
        status,
        serverCode: stringField(serverError, 'code'),
        serverMessage:
          stringField(serverError, 'message') ?? (problem === undefined ? undefined : excerpt(text)),
      }),
    };
  }
  if (problem !== undefined) {
    return {
      ok: false,
      failure: { kind: 'malformed' },
      error: protocolError({ jobId: request.jobId, url: request.url, problem, text }),
    };
  }
  return { ok: true, status, headers, json };
}
