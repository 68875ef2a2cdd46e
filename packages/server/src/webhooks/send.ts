/**
 * One delivery attempt over HTTP: a POST to exactly the URL given, never following a redirect (a 3xx is
 * an answer like any other), with a deadline for the whole exchange and at most `maxResponseBytes` of
 * the answer read, so a receiver can neither hold the sender nor flood it.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type AttemptOutcome, parseRetryAfter } from './retry-schedule.js';

export interface AttemptRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Aborts the attempt (the server is closing). */
  readonly signal: AbortSignal;
}

/** Sends one attempt; never rejects. */
export type SendAttempt = (request: AttemptRequest) => Promise<AttemptOutcome>;

export const sendAttempt: SendAttempt = (attempt) =>
  new Promise<AttemptOutcome>((resolve) => {
    if (attempt.signal.aborted) {
      resolve({ kind: 'failed', error: 'the server closed before the attempt began' });
      return;
    }
    const url = new URL(attempt.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      attempt.signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => {
      finish({ kind: 'failed', error: 'the server closed before the attempt ended' });
    };
    const req = send(url, {
      method: 'POST',
      headers: { ...attempt.headers, 'content-length': String(Buffer.byteLength(attempt.body)) },
      // A fresh connection per attempt: a kept-alive socket to a receiver that has gone would fail the next one.
      agent: false,
    });
    const timer = setTimeout(() => {
      finish({ kind: 'failed', error: `no answer within ${attempt.timeoutMs} ms` });
    }, attempt.timeoutMs);
    timer.unref();
    attempt.signal.addEventListener('abort', onAbort, { once: true });
    req.once('error', (error) => {
      finish({ kind: 'failed', error: error.message });
    });
    req.once('response', (response: IncomingMessage) => {
      const answered: AttemptOutcome = {
        kind: 'answered',
        status: response.statusCode ?? 0,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], Date.now()),
      };
      // The answer's body does not matter; read a little of it so the exchange completes, then stop.
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > attempt.maxResponseBytes) finish(answered);
      });
      response.once('end', () => {
        finish(answered);
      });
      response.once('error', () => {
        finish(answered);
      });
    });
    req.end(attempt.body);
  });
