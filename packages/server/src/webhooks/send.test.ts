import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendAttempt, type AttemptRequest } from './send.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function receiver(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
}

function attempt(url: string, overrides: Partial<AttemptRequest> = {}): AttemptRequest {
  return {
    url,
    body: '{"type":"job.completed"}',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
    timeoutMs: 5000,
    maxResponseBytes: 1024,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('sendAttempt', () => {
  it('POSTs the body and headers and reports the status and Retry-After', async () => {
    let received: { method: string | undefined; headers: Record<string, unknown>; body: string } | undefined;
    const url = await receiver((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received = { method: request.method, headers: request.headers, body };
        response.writeHead(503, { 'retry-after': '7' }).end();
      });
    });
    expect(await sendAttempt(attempt(url))).toEqual({ kind: 'answered', status: 503, retryAfterMs: 7000 });
    expect(received).toMatchObject({
      method: 'POST',
      headers: { 'webhook-id': 'msg_1', 'content-length': '24' },
      body: '{"type":"job.completed"}',
    });
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    let followed = 0;
    const target = await receiver((_request, response) => {
      followed += 1;
      response.writeHead(200).end();
    });
    const url = await receiver((_request, response) => {
      response.writeHead(307, { location: target }).end();
    });
    expect(await sendAttempt(attempt(url))).toMatchObject({ kind: 'answered', status: 307 });
    expect(followed).toBe(0);
  });

  it('gives up on a receiver that never answers after timeoutMs', async () => {
    const url = await receiver(() => undefined); // holds the request forever
    const started = Date.now();
    expect(await sendAttempt(attempt(url, { timeoutMs: 200 }))).toEqual({
      kind: 'failed',
      error: 'no answer within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('stops reading an answer past maxResponseBytes', async () => {
    const url = await receiver((_request, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(16_384, 120);
      const pump = (): void => {
        while (response.write(chunk));
        response.once('drain', pump);
      };
      pump(); // an endless body
    });
    expect(await sendAttempt(attempt(url, { maxResponseBytes: 1024 }))).toMatchObject({
      kind: 'answered',
      status: 200,
    });
  });

  it('reports a refused connection', async () => {
    const url = await receiver(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const outcome = await sendAttempt(attempt(url));
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' ? outcome.error : '').toMatch(/ECONNREFUSED/);
  });

  it('ends at once when aborted', async () => {
    const url = await receiver(() => undefined);
    const controller = new AbortController();
    const sent = sendAttempt(attempt(url, { signal: controller.signal }));
    setTimeout(() => {
      controller.abort();
    }, 50);
    expect(await sent).toEqual({ kind: 'failed', error: 'the server closed before the attempt ended' });
  });
});
