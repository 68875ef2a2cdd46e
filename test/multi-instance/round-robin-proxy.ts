/**
 * A small load balancer for the multi-instance tests, behaving as nginx does with its defaults: each
 * request goes to the next instance in turn; a request no instance took (connection refused) goes to
 * the next, as does a GET whose instance died before answering; a POST that may have been delivered is
 * answered 502 rather than sent twice, and a response already under way (an event stream) is cut.
 *
 * It also watches what passes: the status of every answer, and the version of every job state sent to
 * a client (JSON bodies, and the status events of event streams, one job's or many), so a test can prove that no client was told
 * 404 for a job that exists and that no job's version ever went back on the wire.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Connections the kernel may queue for the proxy before it accepts them (see `listen`). */
const ACCEPT_BACKLOG = 4096;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

function endToEnd(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

export interface Answered {
  readonly method: string;
  /** The path without its query. */
  readonly path: string;
  readonly status: number;
}

/** The job id of `/jobs/:id` and `/jobs/:id/events`, else undefined. */
export function jobIdOf(path: string): string | undefined {
  const match = /^\/jobs\/([^/]+)(?:\/events)?$/.exec(path);
  return match === null ? undefined : decodeURIComponent(match[1] as string);
}

/** One forwarding of a request about a job, for the timelines of slow waits. */
export interface Forwarded {
  /** When the proxy sent it on (Date.now()). */
  readonly sentAt: number;
  /** The instance it went to. */
  readonly upstream: string;
  /** `Prefer` and `wake`, and whether it asked for events. */
  readonly asked: string;
  /** When the instance's answer (its headers) came, or how it failed. */
  answeredAt?: number;
  status?: number;
  failed?: string;
}

/** The jobs a request is about: the one of `/jobs/:id[/events]`, or the `ids` of `/events?ids=`. */
function jobIdsOf(path: string, query: URLSearchParams): string[] {
  const id = jobIdOf(path);
  if (id !== undefined) return [id];
  if (path !== '/events') return [];
  return [...new Set((query.get('ids') ?? '').split(',').filter((part) => part !== ''))];
}

export class RoundRobinProxy {
  /** Every answer sent to a client (the proxy's own 502s included). */
  readonly answers: Answered[] = [];
  /** Per job id, every forwarding of a request about it, in order. */
  readonly forwarded = new Map<string, Forwarded[]>();
  /** Per job id, the version of each state sent to a client, in the order sent. */
  readonly versions = new Map<string, number[]>();
  readonly #upstreams: readonly string[];
  readonly #agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  readonly #server = createServer((req, res) => {
    this.#handle(req, res);
  });
  readonly #sockets = new Set<Socket>();
  #next = 0;

  constructor(upstreams: readonly string[]) {
    this.#upstreams = upstreams;
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async listen(): Promise<void> {
    // A thousand waits open their connections in one burst, to a process that also runs their client:
    // with Node's default accept queue (511) the kernel drops the rest, and their SYNs are sent again
    // 1, 3, 7 and 15 s later, which measured the test, not the servers (seen with `ss -ltn`: the
    // queue full for a minute). The kernel caps this at net.core.somaxconn.
    await new Promise<void>((resolve) =>
      this.#server.listen({ port: 0, host: '127.0.0.1', backlog: ACCEPT_BACKLOG }, resolve),
    );
  }

  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.#server.close(resolve));
    for (const socket of this.#sockets) socket.destroy();
    this.#agent.destroy();
    await closed;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.#forward(req, res, Buffer.concat(chunks), this.#upstreams.length);
    });
    res.on('error', () => undefined);
  }

  #forward(req: IncomingMessage, res: ServerResponse, body: Buffer, triesLeft: number): void {
    const upstream = this.#upstreams[this.#next++ % this.#upstreams.length] as string;
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const request = httpRequest(`${upstream}${req.url ?? '/'}`, {
      method,
      headers: { ...endToEnd(req.headers), 'content-length': String(body.length) },
      agent: this.#agent,
    });
    let answered = false;
    const record = this.#record(path, upstream, req);
    const cancel = (): void => {
      request.destroy();
    };
    // When the client leaves, so does the upstream request (a held long-poll or a stream).
    res.once('close', cancel);
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (record !== undefined)
        record.failed ??= `${error.code ?? error.message} after ${Date.now() - record.sentAt} ms`;
      res.off('close', cancel);
      if (answered || res.destroyed) {
        res.destroy();
        return;
      }
      const undelivered = error.code === 'ECONNREFUSED';
      const safe = method === 'GET' || method === 'HEAD';
      if (triesLeft > 1 && (undelivered || safe)) {
        this.#forward(req, res, body, triesLeft - 1);
        return;
      }
      this.answers.push({ method, path, status: 502 });
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    request.on('response', (answer) => {
      answered = true;
      const status = answer.statusCode ?? 502;
      if (record !== undefined) {
        record.answeredAt = Date.now();
        record.status = status;
      }
      this.answers.push({ method, path, status });
      res.writeHead(status, endToEnd(answer.headers));
      if (method === 'GET' && status === 200 && (jobIdOf(path) !== undefined || path === '/events')) {
        this.#watchVersions(answer);
      }
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      // An instance that dies mid-answer: the client sees its connection cut, as behind nginx.
      answer.on('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    request.end(body);
  }

  #record(path: string, upstream: string, req: IncomingMessage): Forwarded | undefined {
    const query = new URL(req.url ?? '/', 'http://proxy').searchParams;
    const ids = jobIdsOf(path, query);
    if (ids.length === 0) return undefined;
    const asked = [
      path.endsWith('/events')
        ? `events${ids.length > 1 ? ` of ${String(ids.length)} jobs` : ''}`
        : (req.headers.prefer ?? 'plain'),
      query.get('wake') === null ? '' : `wake=${query.get('wake') ?? ''}`,
    ]
      .filter((part) => part !== '')
      .join(' ');
    const entry: Forwarded = {
      sentAt: Date.now(),
      upstream: upstream.slice(upstream.lastIndexOf(':') + 1),
      asked,
    };
    for (const id of ids) {
      const list = this.forwarded.get(id) ?? [];
      list.push(entry);
      this.forwarded.set(id, list);
    }
    return entry;
  }

  /**
   * Records the versions an answer carries: a job's JSON body, or the `status` events of a stream (one
   * job's or many: each event's data is the job resource, with its id and version).
   */
  #watchVersions(answer: IncomingMessage): void {
    const push = (body: string): void => {
      const job = JSON.parse(body) as { id?: unknown; version?: unknown };
      if (typeof job.id !== 'string' || typeof job.version !== 'number') return;
      const seen = this.versions.get(job.id) ?? [];
      seen.push(job.version);
      this.versions.set(job.id, seen);
    };
    let text = '';
    const stream = (answer.headers['content-type'] ?? '').startsWith('text/event-stream');
    answer.setEncoding('utf8');
    answer.on('data', (chunk: string) => {
      text += chunk;
      if (!stream) return;
      // Whole lines only: a chunk may end inside one.
      const end = text.lastIndexOf('\n');
      for (const line of text.slice(0, end + 1).split('\n'))
        if (line.startsWith('data: ')) push(line.slice(6));
      text = text.slice(end + 1);
    });
    answer.on('end', () => {
      if (!stream) push(text);
    });
  }
}
