/**
 * A fault-injecting HTTP proxy for the reliability tests. It sits between the client and the real
 * in-process server and, by a seeded draw per request, resets the connection, stalls or truncates a
 * body, answers with a proxy's HTML page, refuses with 429/503 and a Retry-After of any form, or
 * duplicates, reorders and drops Server-Sent Events. It can also go down (a listening socket that
 * resets every connection, counted) and come back on the same port.
 */
import { createRandom } from '@translation-status/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { createServer as createNetServer } from 'node:net';

export const JSON_FAULTS = [
  'reset',
  'stall',
  'truncate',
  'html200',
  'html502',
  'throttle',
  'unavailable',
] as const;
export const STREAM_FAULTS = [
  'reset',
  'html502',
  'throttle',
  'unavailable',
  'duplicate',
  'reorder',
  'drop',
] as const;
export type Fault = (typeof JSON_FAULTS)[number] | (typeof STREAM_FAULTS)[number];

export interface ChaosOptions {
  /** The real server, e.g. http://127.0.0.1:PORT */
  readonly target: string;
  /** Share of requests that get a fault, 0 to 1. */
  readonly faultRate: number;
  readonly seed: number;
  /** Retry-After values a 429/503 fault picks from; functions are called per answer (HTTP-dates). */
  readonly retryAfter?: readonly (string | (() => string))[];
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

export class ChaosProxy {
  /** Requests seen per fault ('none' for forwarded untouched). */
  readonly counts = new Map<Fault | 'none', number>();
  /** Connections the down listener reset, with the time of each. */
  readonly deadConnections: number[] = [];
  private readonly random: () => number;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  private readonly server = createServer((req, res) => {
    this.handle(req, res);
  });
  private readonly sockets = new Set<Socket>();
  private down: NetServer | undefined;
  port = 0;

  constructor(private readonly options: ChaosOptions) {
    this.random = createRandom(options.seed);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get requests(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  faulted(): number {
    return this.requests - (this.counts.get('none') ?? 0);
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

  private draw<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private retryAfter(): string {
    const value = this.draw(this.options.retryAfter ?? DEFAULT_RETRY_AFTER);
    return typeof value === 'function' ? value() : value;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const isStream = (req.headers.accept ?? '').includes('text/event-stream');
    const faulted = this.random() < this.options.faultRate;
    const fault: Fault | 'none' = faulted ? this.draw(isStream ? STREAM_FAULTS : JSON_FAULTS) : 'none';
    this.counts.set(fault, (this.counts.get(fault) ?? 0) + 1);
    res.on('error', () => undefined);
    switch (fault) {
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'html200':
      case 'html502':
        res.writeHead(fault === 'html200' ? 200 : 502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Bad Gateway</h1><p>The upstream did not answer.</p></body></html>');
        return;
      case 'throttle':
      case 'unavailable':
        res.writeHead(fault === 'throttle' ? 429 : 503, {
          'content-type': 'application/json',
          'retry-after': this.retryAfter(),
        });
        res.end('{"error":{"code":"proxy","message":"try later"}}');
        return;
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
    upstream.on('error', () => req.socket.destroy());
    // When the client leaves, so does the upstream request (a held long-poll or a stream).
    res.on('close', () => upstream.destroy());
    upstream.on('response', (answer) => {
      answer.on('error', () => undefined);
      const headers = forwardHeaders(answer);
      const isStream = (answer.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (isStream) {
        res.writeHead(answer.statusCode ?? 502, headers);
        this.relayEvents(answer, res, fault);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const half = body.subarray(0, Math.floor(body.length / 2));
        res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(body.length) });
        if (fault === 'stall') {
          res.write(half); // and nothing more: the client's request timeout must end this
        } else if (fault === 'truncate') {
          res.write(half, () => req.socket.destroy());
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
