/**
 * An event stream held open: one `status` event per change of its jobs (one job, or many multiplexed),
 * a heartbeat comment between, ended by every job ending, the client leaving or the server shutting down. It takes one of the client's
 * hold slots for its life.
 */
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { AppContext } from '../context.js';
import { SECURITY_HEADERS } from '../http/security-headers.js';
import type { JobResource } from '../protocol/job-resource.js';
import { SSE_HEARTBEAT, SSE_PREAMBLE } from '../protocol/sse.js';
import type { WakeOn } from './wake.js';

/** A stream to open: for whom, about which jobs, and from which version of each on. */
export interface StreamRequest {
  readonly reply: FastifyReply;
  /** Whose hold slot it takes (`clientIdOf(request)`). */
  readonly clientId: string;
  /** The jobs, each with the last version the client has (`Last-Event-ID`, else 0): only later ones are sent. */
  readonly jobs: readonly { readonly id: string; readonly lastSent: number }[];
  /** With 'result', a pending job's changes after its first state are not sent. @default 'change' */
  readonly wakeOn?: WakeOn;
  /** The event for a job's new state, given the last version sent of every job (the resume point). */
  readonly event: (job: JobResource, sent: readonly number[]) => string;
}

/** What a route does with an open stream: send each job's first state, or say a job is unknown. */
export interface OpenStream {
  /** Sends the job's state as read after subscribing, if it is newer than what the client has. */
  readonly first: (job: JobResource) => void;
  /** Tells the client a job is unknown (`text` is the whole event); that job is then settled. */
  readonly missing: (jobId: string, text: string) => void;
}

class EventStream {
  readonly #ctx: AppContext;
  readonly #res: ServerResponse;
  readonly #request: StreamRequest;
  readonly #index = new Map<string, number>();
  readonly #sent: number[];
  readonly #unsubscribes: (() => void)[] = [];
  /** Jobs whose ending the client has (or that do not exist): the stream ends when all are. */
  readonly #settled = new Set<number>();
  #cancelBeat: () => void = noop;
  #ended = false;

  constructor(ctx: AppContext, res: ServerResponse, request: StreamRequest) {
    this.#ctx = ctx;
    this.#res = res;
    this.#request = request;
    this.#sent = request.jobs.map((job) => job.lastSent);
    for (const [i, job] of request.jobs.entries()) this.#index.set(job.id, i);
  }

  get ended(): boolean {
    return this.#ended;
  }

  start(): void {
    const ctx = this.#ctx;
    this.#res.write(SSE_PREAMBLE);
    ctx.metrics.openEventStreams.inc();
    this.#cancelBeat = ctx.timers.after(ctx.settings.heartbeatMs, this.beat);
    for (const job of this.#request.jobs) {
      this.#unsubscribes.push(
        ctx.store.subscribe(job.id, (changed) => {
          this.#send(changed, false);
        }),
      );
    }
    this.#res.on('close', this.end);
    ctx.closing.add(this.end);
    // A client that left while the job was being read will send no 'close' any more.
    if (this.#res.destroyed) this.end();
  }

  readonly first = (job: JobResource): void => {
    this.#send(job, true);
  };

  readonly missing = (jobId: string, text: string): void => {
    const i = this.#index.get(jobId);
    if (this.#ended || i === undefined) return;
    this.#res.write(text);
    this.#settle(i);
  };

  /** Sends `job` if it is later than what the client has; a stream only goes forward. */
  #send(job: JobResource, first: boolean): void {
    const i = this.#index.get(job.id);
    if (this.#ended || i === undefined || this.#settled.has(i)) return;
    const ended = job.result !== 'pending';
    if (job.version > (this.#sent[i] ?? 0) && (first || ended || this.#request.wakeOn !== 'result')) {
      this.#sent[i] = job.version;
      this.#res.write(this.#request.event(job, this.#sent));
    }
    if (ended) this.#settle(i);
  }

  #settle(i: number): void {
    this.#settled.add(i);
    this.#unsubscribes[i]?.();
    if (this.#settled.size === this.#request.jobs.length) this.end();
  }

  readonly end = (): void => {
    if (this.#ended) return;
    this.#ended = true;
    const ctx = this.#ctx;
    this.#cancelBeat();
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.#res.off('close', this.end);
    ctx.closing.remove(this.end);
    ctx.holds.release(this.#request.clientId);
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
 * the reply, writes the stream's headers and preamble, and starts following the jobs. Returns what the
 * route sends the first states with, or undefined when the client has already gone.
 */
export function openEventStream(ctx: AppContext, request: StreamRequest): OpenStream | undefined {
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
  stream.start();
  return stream.ended ? undefined : stream;
}
