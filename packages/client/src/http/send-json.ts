/**
 * The client's only contact with the network: one request, bounded by a per-request timeout and the
 * caller's signal, classified into a usable response or a failure the retry policy can judge.
 */
import type { Clock } from '../common/clock.js';
import { NetworkError, RequestTimeoutError } from '../errors/index.js';
import { classifyResponse, type HttpOutcome } from '../protocol/response.js';
import { withDeadline } from '../common/signals.js';

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** The wait's signal: when it aborts, the request rejects with its reason instead of failing. */
  readonly signal: AbortSignal;
  readonly jobId: string | undefined;
}

export type { HttpOutcome };

export interface HttpDeps {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
}

const REQUEST_TIMED_OUT = new DOMException('request timed out', 'TimeoutError');

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
