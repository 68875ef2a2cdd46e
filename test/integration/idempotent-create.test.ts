/**
 * A create whose answer is lost after the server made the job: the client retries with the same
 * Idempotency-Key and gets that job, not a second one. A proxy between them forwards the first
 * POST /jobs, waits for the server's answer, and drops the connection instead of passing it on.
 */
import { TranslationClient } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer } from './support.js';

let server: RunningServer;
let proxy: Server;
let proxyUrl: string;
const keysSeen: (string | undefined)[] = [];
let dropped = 0;

beforeAll(async () => {
  server = await inProcessServer({ delayMs: 60_000 });
  const upstream = new URL(server.url);
  proxy = createServer((req, res) => {
    const isCreate = req.method === 'POST' && req.url === '/jobs';
    if (isCreate) keysSeen.push(req.headers['idempotency-key'] as string | undefined);
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (isCreate && dropped === 0) {
          // The server has made the job and answered; the client never hears of it.
          dropped += 1;
          answer.resume();
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) =>
    proxy.close(() => {
      resolve();
    }),
  );
  await server.close();
});

describe('createJob through a lost answer', () => {
  it('retries with the same key and gets the one job the server made', async () => {
    const client = new TranslationClient({
      baseUrl: proxyUrl,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      logLevel: 'silent',
    });
    const before = (await server.store.list()).length;
    const job = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 30,
    });
    const jobs = await server.store.list();
    expect(dropped).toBe(1);
    expect(keysSeen).toHaveLength(2);
    expect(keysSeen[1]).toBe(keysSeen[0]);
    expect(jobs).toHaveLength(before + 1);
    expect(jobs[0]?.id).toBe(job.id);
  });
});
