/**
 * Follows one Server-Sent Events connection until the job ends, the stream breaks, or the caller
 * aborts. It never retries by itself: the watcher decides whether to reconnect or fall back.
 */
import type { TranslationStatusError } from '../errors/index.js';
import { protocolError } from '../protocol/problem.js';
import { classifyResponse } from '../protocol/response.js';
import { answered, type ReaderContext, type ReaderDeps } from './retrying-request.js';
import { isTransientFailure, type RequestFailure } from '../policy/failure.js';
import { openConnection, type HttpDeps } from './connection.js';
import { createSseParser, EVENT_STREAM } from '../protocol/sse-framing.js';

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
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let events = 0;
  const broken = (why: { failure: RequestFailure; error: TranslationStatusError }): StreamResult => ({
    kind: 'broken',
    failure: why.failure,
    error: why.error,
    events,
  });
  /** The stream cannot go on as is: an event that is not what the protocol says. */
  const malformed = (problem: string, text: string): StreamResult =>
    broken({ failure: { kind: 'malformed' }, error: protocolError({ ...facts(), problem, text }) });
  try {
    connection.arm(ctx.requestTimeoutMs);
    let response: Response;
    try {
      // No Cache-Control: it is not CORS-safelisted, and a browser would need a preflight grant for it.
      const headers: Record<string, string> = { ...request.headers, accept: EVENT_STREAM };
      if (request.lastEventId !== undefined) headers['last-event-id'] = request.lastEventId;
      response = await deps.fetch(request.url, { headers, signal: connection.signal });
    } catch (error) {
      return broken(connection.fail(error));
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const outcome = classifyResponse(facts(), response.status, response.headers, text, deps.clock.now());
      return !outcome.ok && isTransientFailure(outcome.failure)
        ? broken(outcome)
        : { kind: 'unavailable', reason: `the events URL answered ${response.status}` };
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.status === 204 || !type.toLowerCase().startsWith(EVENT_STREAM) || response.body === null) {
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
    reader = response.body.getReader();
    // An abort (silence, a hedge that saw more, the caller) must also end a read in progress.
    connection.signal.addEventListener(
      'abort',
      () => {
        reader?.cancel().catch(() => undefined);
      },
      { once: true },
    );
    const decoder = new TextDecoder();
    const parser = createSseParser();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
        if (chunk.done) throw new Error('the event stream ended before the job did');
      } catch (error) {
        return broken(connection.fail(error));
      }
      received = true;
      for (const { event, data } of parser.feed(decoder.decode(chunk.value, { stream: true }))) {
        // A `status` (or unnamed) event carries the job resource, a `missing` one an unknown job's id
        // (see `multi-events.ts`); other events are not ours.
        if (event !== 'status' && event !== 'message' && event !== 'missing') continue;
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          return malformed('an event carried data that is not JSON', data);
        }
        const handled = request.onEvent(json, event === 'missing');
        if (handled.stop) return { kind: 'terminal' };
        if (handled.problem !== undefined) return malformed(handled.problem, data);
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
