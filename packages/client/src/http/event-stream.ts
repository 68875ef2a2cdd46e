/**
 * Follows one Server-Sent Events connection until the job ends, the stream breaks, or the caller
 * aborts. It never retries by itself: the watcher decides whether to reconnect or fall back.
 */
import type { TranslationStatusError } from '../errors/index.js';
import { isEventStream, readEventData, streamHeaders } from '../protocol/events.js';
import { protocolError } from '../protocol/problem.js';
import { classifyResponse } from '../protocol/response.js';
import type { HttpDeps } from './send-json.js';
import { answered, type ReaderContext, type ReaderDeps } from './retrying-request.js';
import { isTransientFailure, type RequestFailure } from '../policy/failure.js';
import { openConnection } from './connection.js';
import { createSseParser } from '../protocol/sse-framing.js';

export interface StreamRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly lastEventId: string | undefined;
  /** Silence (no event, no heartbeat) longer than this ends the stream as a timeout. */
  readonly idleMs: number;
  /** Handles one event's JSON (`missing`: a multiplexed stream's unknown job); `stop` ends the stream. */
  onEvent(json: unknown, missing: boolean): { stop: boolean; problem?: string };
}

export type StreamResult =
  | { readonly kind: 'terminal' }
  /** 204: the job already ended at or before `Last-Event-ID`; read its status instead. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | {
      readonly kind: 'broken';
      readonly failure: RequestFailure;
      readonly error: TranslationStatusError;
      readonly events: number;
    };

export async function followEventStream(
  deps: HttpDeps & Pick<ReaderDeps, 'budget' | 'contact'>,
  ctx: ReaderContext,
  request: StreamRequest,
): Promise<StreamResult> {
  ctx.counters.requests += 1;
  ctx.onRequest?.();
  const facts = () => ({
    jobId: ctx.jobId,
    url: request.url,
    elapsedMs: deps.clock.now() - ctx.startedAt,
    attempts: ctx.counters.requests,
  });
  const connection = openConnection(deps.clock, ctx.signal, facts);
  const broken = (cause: unknown, events: number): StreamResult => ({
    kind: 'broken',
    ...connection.fail(cause),
    events,
  });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let events = 0;
  try {
    connection.arm(ctx.requestTimeoutMs);
    let response: Response;
    try {
      const headers = streamHeaders(request.headers, request.lastEventId);
      response = await deps.fetch(request.url, { headers, signal: connection.signal });
    } catch (error) {
      return broken(error, events);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const outcome = classifyResponse(facts(), response.status, response.headers, text, deps.clock.now());
      if (!outcome.ok && isTransientFailure(outcome.failure)) {
        return { kind: 'broken', failure: outcome.failure, error: outcome.error, events };
      }
      return { kind: 'unavailable', reason: `the events URL answered ${response.status}` };
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.status === 204 || !isEventStream(type) || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      return response.status === 204
        ? { kind: 'stale' }
        : { kind: 'unavailable', reason: `the events URL answered ${type || 'no content type'}` };
    }
    answered(deps); // a stream that connects is a success

    // Every stream starts with `retry:` at once, and a fresh one's first event is the current state:
    // until they come, silence is judged like any request's. A resumed one then sends only what
    // changed, so only heartbeats are due.
    let received = false;
    const idleMs = (): number =>
      !received || (events === 0 && request.lastEventId === undefined)
        ? ctx.requestTimeoutMs
        : request.idleMs;
    connection.arm(idleMs());
    const bodyReader = response.body.getReader();
    reader = bodyReader;
    // An abort (silence, a hedge that saw more, the caller) must also end a read in progress.
    connection.signal.addEventListener(
      'abort',
      () => {
        bodyReader.cancel().catch(() => undefined);
      },
      { once: true },
    );
    const decoder = new TextDecoder();
    const parser = createSseParser();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        return broken(error, events);
      }
      if (chunk.done) {
        reader = undefined;
        return broken(new Error('the event stream ended before the job did'), events);
      }
      received = true;
      for (const event of parser.feed(decoder.decode(chunk.value, { stream: true }))) {
        const data = readEventData(event);
        if (data === undefined) continue;
        const handled = 'json' in data ? request.onEvent(data.json, data.missing) : data;
        if (handled.stop) return { kind: 'terminal' };
        if (handled.problem !== undefined) {
          return {
            kind: 'broken',
            failure: { kind: 'malformed' },
            error: protocolError({ ...facts(), problem: handled.problem, text: event.data }),
            events,
          };
        }
        events += 1;
      }
      connection.arm(idleMs());
    }
  } finally {
    // Cancelling tells the server at once that nobody listens any more; it must not outlive the wait.
    if (reader !== undefined) await reader.cancel().catch(() => undefined);
    connection.dispose();
  }
}
