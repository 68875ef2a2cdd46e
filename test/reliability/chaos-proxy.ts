/**
 * A fault-injecting HTTP proxy for the reliability tests. It sits between the client and the real
 * in-process server and, by a seeded draw per request, resets the connection, swallows the request
 * (never forwarded, never answered, the socket left open), lets the answer's headers through and then
 * goes silent, truncates a body, answers with a proxy's HTML page (200 or 502), refuses with 429/503
 * and a Retry-After of any form, or duplicates, reorders and drops Server-Sent Events. It can also go
 * down (a listening socket that resets every connection, counted) and come back on the same port.
 *
 * The draw for a request depends on the seed, the request (method, path, batch ids, whether it asks for
 * events) and how many times that request was seen before, not on the order requests arrive in: a
 * job's n-th read meets the same fault in every run with the same seed.
 */
import { createRandom } from '@translation-status/server';
import type { Random } from '@translation-status/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { createServer as createNetServer } from 'node:net';

export const JSON_FAULTS = [
  'reset',
  'swallow',
  'silence',
  'truncate',
  'html200',
  'html502',
  'throttle',
  'unavailable',
] as const;
export const STREAM_FAULTS = [
  'reset',
  'swallow',
  'silence',
  'html200',
  'html502',
  'throttle',
  'unavailable',
  'duplicate',
  'reorder',
  'drop',
] as const;
export type Fault = (typeof JSON_FAULTS)[number] | (typeof STREAM_FAULTS)[number];
export const FAULTS: readonly Fault[] = [...new Set<Fault>([...JSON_FAULTS, ...STREAM_FAULTS])];

export interface ChaosOptions {
  /** The real server, e.g. http://127.0.0.1:PORT */
  readonly target: string;
  /** Share of requests that get a fault, 0 to 1. */
  readonly faultRate: number;
  readonly seed: number;
  /** The faults drawn from; a request no listed fault applies to is forwarded untouched. @default all */
  readonly faults?: readonly Fault[];
  /** Retry-After values a 429/503 fault picks from; functions are called per answer (HTTP-dates). */
  readonly retryAfter?: readonly (string | (() => string))[];
}

/** One request the proxy saw: when, what it was (`METHOD target`), and what was done to it. */
export interface ProxiedRequest {
  readonly at: number;
  readonly request: string;
  /** Asked for an event stream. */
  readonly stream: boolean;
  /** Its `Prefer` header (`wait=N` on a held long-poll). */
  readonly prefer: string | undefined;
  readonly fault: Fault | 'none';
}

/** Every form RFC 9110 allows plus the garbage real proxies send; all short, so waits can finish. */
export const DEFAULT_RETRY_AFTER: readonly (string | (() => string))[] = [
  '0',
  '1',
  '1.5',
  () => new Date(Date.now() + 1000).toUTCString(),
  () => new Date(Date.now() - 60_000).toUTCString(),
  'soon',
  '',
  '-3',
  'Mon, 99 Foo 2026 99:99:99 GMT',
];

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function forwardHeaders(upstream: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** FNV-1a, 32 bits: turns a request's identity into the seed of its draws. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** What identifies a request across runs: not the versions a batch read sends, which vary with timing. */
function identity(req: IncomingMessage, stream: boolean): string {
  const url = new URL(req.url ?? '/', 'http://proxy');
  return `${req.method ?? 'GET'} ${url.pathname}?${url.searchParams.get('ids') ?? ''}${stream ? ' events' : ''}`;
}

export class ChaosProxy {
  /** Requests seen per fault ('none' for forwarded untouched). */
  readonly counts = new Map<Fault | 'none', number>();
  /** Every request seen, in order of arrival. */
  readonly log: ProxiedRequest[] = [];
  /** Connections the down listener reset, with the time of each. */
  readonly deadConnections: number[] = [];
  private readonly seen = new Map<string, number>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  private readonly server = createServer((req, res) => {
    this.handle(req, res);
  });
  private readonly sockets = new Set<Socket>();
  private readonly jsonFaults: readonly Fault[];
  private readonly streamFaults: readonly Fault[];
  private down: NetServer | undefined;
  port = 0;

  constructor(private readonly options: ChaosOptions) {
    const allowed = new Set(options.faults ?? FAULTS);
    this.jsonFaults = JSON_FAULTS.filter((f) => allowed.has(f));
    this.streamFaults = STREAM_FAULTS.filter((f) => allowed.has(f));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get requests(): number {
    return this.log.length;
  }

  faulted(): number {
    return this.requests - (this.counts.get('none') ?? 0);
  }

  /** Client connections open now (swallowed and silenced requests keep theirs). */
  get openSockets(): number {
    return this.sockets.size;
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops serving and resets every new connection on the same port until `comeBack`. */
  async goDown(): Promise<void> {
    await this.stopServing();
    const down = createNetServer((socket) => {
      this.deadConnections.push(Date.now());
      socket.on('error', () => undefined);
      socket.resetAndDestroy();
    });
    await new Promise<void>((resolve) => down.listen(this.port, '127.0.0.1', resolve));
    this.down = down;
  }

  async comeBack(): Promise<void> {
    const down = this.down;
    this.down = undefined;
    if (down !== undefined) await new Promise((resolve) => down.close(resolve));
    await this.listen(this.port);
  }

  /** Stops listening and destroys every socket, client side (swallowed and silenced too) and upstream. */
  async close(): Promise<void> {
    const down = this.down;
    this.down = undefined;
    if (down !== undefined) await new Promise((resolve) => down.close(resolve));
    await this.stopServing();
    this.agent.destroy();
  }

  private async stopServing(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** The draws of one request, seeded by what it is and how often it was seen before. */
  private randomFor(req: IncomingMessage, stream: boolean): Random {
    const key = identity(req, stream);
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return createRandom(hash(`${String(this.options.seed)}|${key}|${String(n)}`));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const stream = (req.headers.accept ?? '').includes('text/event-stream');
    const random = this.randomFor(req, stream);
    const draw = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const kinds = stream ? this.streamFaults : this.jsonFaults;
    const faulted = random() < this.options.faultRate && kinds.length > 0;
    const fault: Fault | 'none' = faulted ? draw(kinds) : 'none';
    this.counts.set(fault, (this.counts.get(fault) ?? 0) + 1);
    const request = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
    const prefer = req.headers.prefer;
    this.log.push({
      at: Date.now(),
      request,
      stream,
      prefer: Array.isArray(prefer) ? prefer.join(', ') : prefer,
      fault,
    });
    res.on('error', () => undefined);
    switch (fault) {
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'swallow':
        // Read and ignore: nothing is forwarded or answered, and the socket stays open until the
        // client gives up (or the proxy closes).
        req.resume();
        return;
      case 'html200':
      case 'html502':
        res.writeHead(fault === 'html200' ? 200 : 502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Bad Gateway</h1><p>The upstream did not answer.</p></body></html>');
        return;
      case 'throttle':
      case 'unavailable': {
        const value = draw(this.options.retryAfter ?? DEFAULT_RETRY_AFTER);
        res.writeHead(fault === 'throttle' ? 429 : 503, {
          'content-type': 'application/json',
          'retry-after': typeof value === 'function' ? value() : value,
        });
        res.end('{"error":{"code":"proxy","message":"try later"}}');
        return;
      }
      default:
        this.forward(req, res, fault);
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, fault: Fault | 'none'): void {
    const upstream = httpRequest(`${this.options.target}${req.url ?? '/'}`, {
      method: req.method,
      headers: req.headers,
      agent: this.agent,
    });
    let silenced = false;
    upstream.on('error', () => {
      if (!silenced) req.socket.destroy();
    });
    // When the client leaves, so does the upstream request (a held long-poll or a stream).
    res.on('close', () => upstream.destroy());
    upstream.on('response', (answer) => {
      answer.on('error', () => undefined);
      const headers = forwardHeaders(answer);
      if (fault === 'silence') {
        // The headers get through, then nothing, ever: the client's socket stays open while the
        // server's request is let go (its hold or stream slot freed).
        silenced = true;
        res.writeHead(answer.statusCode ?? 502, headers);
        res.flushHeaders();
        upstream.destroy();
        return;
      }
      if ((answer.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        res.writeHead(answer.statusCode ?? 502, headers);
        this.relayEvents(answer, res, fault);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(body.length) });
        if (fault === 'truncate') {
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
        } else {
          res.end(body);
        }
      });
    });
    req.pipe(upstream);
  }

  /** Relays an event stream event by event, duplicating, reordering or dropping as the fault says. */
  private relayEvents(answer: IncomingMessage, res: ServerResponse, fault: Fault | 'none'): void {
    let buffer = '';
    let held: string | undefined;
    let events = 0;
    const emit = (event: string): void => {
      res.write(`${event}\n\n`);
    };
    answer.setEncoding('utf8');
    answer.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const isStatus = event.includes('event: status');
        if (isStatus) events += 1;
        if (fault === 'duplicate' && isStatus) {
          emit(event);
          emit(event);
        } else if (fault === 'reorder' && isStatus) {
          if (held === undefined) held = event;
          else {
            emit(event);
            emit(held);
            held = undefined;
          }
        } else emit(event);
        if (fault === 'drop' && events >= 1) {
          res.socket?.destroy();
          return;
        }
      }
    });
    answer.on('end', () => {
      if (held !== undefined) emit(held);
      res.end();
    });
  }
}
