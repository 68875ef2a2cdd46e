/**
 * The client's only contact with the network: one request, bounded by a per-request timeout and the
 * caller's signal, classified into a usable response or a failure the retry policy can judge.
 */
import type { Clock } from '../common/clock.js';
import { classifyResponse, type HttpOutcome } from '../protocol/response.js';
import { openConnection } from './connection.js';

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

/** Sends one request and reads its JSON body. Rejects only when the caller's signal aborts. */
export async function sendJson(deps: HttpDeps, request: HttpRequest): Promise<HttpOutcome> {
  // The timeout runs on the injected clock, so virtual time drives it too.
  const connection = openConnection(deps.clock, request.signal, () => ({
    jobId: request.jobId,
    url: request.url,
  }));
  connection.arm(request.timeoutMs);
  try {
    const response = await deps.fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body ?? null,
      signal: connection.signal,
    });
    const text = await response.text(); // may fail too: the connection broke mid-body
    return classifyResponse(request, response.status, response.headers, text, deps.clock.now());
  } catch (error) {
    return { ok: false, ...connection.fail(error) };
  } finally {
    connection.dispose();
  }
}
