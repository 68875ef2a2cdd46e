/**
 * The client's only contact with the network: one request, bounded by a per-request timeout and the
 * caller's signal, classified into a usable response or a failure the retry policy can judge.
 */
import type { Clock } from './clock.js';
import { HttpError, NetworkError, ProtocolError, RequestTimeoutError } from './errors/index.js';
import type { TranslationStatusError } from './errors/index.js';
import { parseRetryAfter } from './hints.js';
import type { RequestFailure } from './retry.js';
import { withDeadline } from './signals.js';

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** The wait's signal: when it aborts, the request rejects with its reason instead of failing. */
  readonly signal: AbortSignal;
  readonly jobId: string | undefined;
}

export interface HttpDeps {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
}

export type HttpOutcome =
  | { readonly ok: true; readonly status: number; readonly headers: Headers; readonly json: unknown }
  | { readonly ok: false; readonly failure: RequestFailure; readonly error: TranslationStatusError };

const REQUEST_TIMED_OUT = new DOMException('request timed out', 'TimeoutError');

/** Response bodies larger than this are refused: a status document is a few hundred bytes. */
const MAX_BODY_CHARS = 4 * 1024 * 1024;

/** Sends one request and reads its JSON body. Rejects only when the caller's signal aborts. */
export async function sendJson(deps: HttpDeps, request: HttpRequest): Promise<HttpOutcome> {
  // The timeout runs on the injected clock, so virtual time drives it too.
  const inFlight = withDeadline(deps.clock, request.timeoutMs, request.signal, () => REQUEST_TIMED_OUT);
  const fail = (cause: unknown): HttpOutcome => {
    if (request.signal.aborted) throw request.signal.reason;
    if (inFlight.signal.reason === REQUEST_TIMED_OUT) {
      return {
        ok: false,
        failure: { kind: 'timeout' },
        error: new RequestTimeoutError({
          jobId: request.jobId,
          url: request.url,
          timeoutMs: request.timeoutMs,
          cause,
        }),
      };
    }
    return {
      ok: false,
      failure: { kind: 'network' },
      error: new NetworkError({ jobId: request.jobId, url: request.url, cause }),
    };
  };
  try {
    let response: Response;
    try {
      response = await deps.fetch(request.url, {
        method: request.method ?? 'GET',
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: inFlight.signal,
      });
    } catch (error) {
      return fail(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return fail(error); // the connection broke mid-body
    }
    return classifyResponse(request, response.status, response.headers, text, deps.clock.now());
  } finally {
    inFlight.dispose();
  }
}

/** Turns a complete HTTP answer into an outcome. Pure. */
export function classifyResponse(
  request: Pick<HttpRequest, 'url' | 'jobId'>,
  status: number,
  headers: Headers,
  text: string,
  nowMs: number,
): HttpOutcome {
  const parsed = parseJson(text);
  if (status < 200 || status > 299) {
    const serverError = readServerError(parsed.ok ? parsed.value : undefined);
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), nowMs);
    return {
      ok: false,
      failure: { kind: 'http', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
      error: new HttpError({
        jobId: request.jobId,
        url: request.url,
        status,
        serverCode: serverError?.code,
        serverMessage: serverError?.message ?? (parsed.ok ? undefined : excerpt(text)),
      }),
    };
  }
  if (!parsed.ok) {
    return {
      ok: false,
      failure: { kind: 'malformed' },
      error: new ProtocolError({
        jobId: request.jobId,
        url: request.url,
        problem: parsed.problem,
        body: excerpt(text),
      }),
    };
  }
  return { ok: true, status, headers, json: parsed.value };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (text.length > MAX_BODY_CHARS)
    return { ok: false, problem: `the body is over ${MAX_BODY_CHARS} characters` };
  if (text.trim() === '') return { ok: false, problem: 'the body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: 'the body is not JSON (truncated, or a proxy answered with a page?)' };
  }
}

function readServerError(
  body: unknown,
): { code: string | undefined; message: string | undefined } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error: unknown = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : undefined;
  return { code, message };
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
