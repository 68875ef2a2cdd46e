/**
 * An event stream held open: one `status` event per change of its job, a heartbeat comment between,
 * ended by the job ending, the client leaving or the server shutting down. It takes one of the client's
 * hold slots for its life.
 */
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { AppContext } from '../context.js';
import { SECURITY_HEADERS } from '../http/security-headers.js';
import type { JobResource } from '../protocol/job-resource.js';
import { SSE_HEARTBEAT, SSE_PREAMBLE, statusEvent } from '../protocol/sse.js';

/** A stream to open: for whom, about which job, and from which version on. */
export interface StreamRequest {
  readonly reply: FastifyReply;
  /** Whose hold slot it takes (`clientIdOf(request)`). */
  readonly clientId: string;
  readonly jobId: string;
  /** The last version the client has (`Last-Event-ID`, else 0): only later ones are sent. */
  readonly lastSent: number;
}

class EventStream {
  readonly #ctx: AppContext;
  readonly #res: ServerResponse;
  readonly #clientId: string;
  #lastSent: number;
  #unsubscribe: () => void = noop;
  #cancelBeat: () => void = noop;
  #ended = false;

  constructor(ctx: AppContext, res: ServerResponse, request: StreamRequest) {
    this.#ctx = ctx;
    this.#res = res;
    this.#clientId = request.clientId;
    this.#lastSent = request.lastSent;
  }

  get ended(): boolean {
    return this.#ended;
  }

  start(jobId: string): void {
    const ctx = this.#ctx;
    this.#res.write(SSE_PREAMBLE);
    ctx.metrics.openEventStreams.inc();
    this.#cancelBeat = ctx.timers.after(ctx.settings.heartbeatMs, this.beat);
    this.#unsubscribe = ctx.store.subscribe(jobId, this.send);
    this.#res.on('close', this.end);
    ctx.closing.add(this.end);
    // A client that left while the job was being read will send no 'close' any more.
    if (this.#res.destroyed) this.end();
  }

  /** Sends `job` if it is later than what the client has; a stream only goes forward. */
  readonly send = (job: JobResource): void => {
    if (this.#ended || job.version <= this.#lastSent) return;
    this.#lastSent = job.version;
    this.#res.write(statusEvent(job));
    if (job.result !== 'pending') this.end();
  };

  readonly end = (): void => {
    if (this.#ended) return;
    this.#ended = true;
    const ctx = this.#ctx;
    this.#cancelBeat();
    this.#unsubscribe();
    this.#res.off('close', this.end);
    ctx.closing.remove(this.end);
    ctx.holds.release(this.#clientId);
    ctx.metrics.openEventStreams.dec();
    if (!this.#res.writableEnded) this.#res.end();
  };

  readonly beat = (): void => {
    this.#res.write(SSE_HEARTBEAT);
    this.#cancelBeat = this.#ctx.timers.after(this.#ctx.settings.heartbeatMs, this.beat);
  };
}

const noop = (): void => undefined;

/**
 * Takes a hold slot (throwing the 429/503 ApiError when none is free, before anything is sent), hijacks
 * the reply, writes the stream's headers and preamble, and starts following the job. Returns the
 * function that sends a state of the job, or undefined when the client has already gone.
 */
export function openEventStream(
  ctx: AppContext,
  request: StreamRequest,
): ((job: JobResource) => void) | undefined {
  ctx.holds.acquire(request.clientId, 'open event streams');
  const reply = request.reply;
  reply.hijack();
  const res = reply.raw;
  // Headers set by hooks (CORS) live on the reply, which is bypassed once hijacked.
  for (const [name, value] of Object.entries({ ...reply.getHeaders(), ...SECURITY_HEADERS })) {
    if (value !== undefined) res.setHeader(name, value);
  }
  if (ctx.capabilities !== undefined) res.setHeader('status-capabilities', ctx.capabilities);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    // A stream's connection is not reused: when the stream ends, for any reason, the socket goes too,
    // so a half-closed client can never keep a shutting-down server waiting.
    connection: 'close',
  });
  const stream = new EventStream(ctx, res, request);
  stream.start(request.jobId);
  return stream.ended ? undefined : stream.send;
}
