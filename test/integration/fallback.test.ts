/**
 * Servers that offer less: the real server with a capability switched off, and a tiny server that
 * only answers the classic `GET /status`. The client must still end every wait, choosing what exists.
 */
import { TranslationClient, type TransportMode } from '@translation-status/client';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer, recordingLogger, serversCheckedForLeaks, story } from './support.js';

const servers = serversCheckedForLeaks();

async function serverWithout(capabilities: { longPoll?: boolean; events?: boolean; batch?: boolean }) {
  const server = await inProcessServer(capabilities);
  servers.push(server);
  return server;
}

describe.concurrent('a server without a capability', () => {
  it.each<[string, { longPoll?: boolean; events?: boolean }, TransportMode, string]>([
    ['events: false', { events: false }, 'auto', 'long-poll'],
    ['events: false, forced sse', { events: false }, 'sse', 'long-poll'],
    ['longPoll: false, events: false', { longPoll: false, events: false }, 'auto', 'poll'],
    [
      'longPoll: false, events: false, forced long-poll',
      { longPoll: false, events: false },
      'long-poll',
      'poll',
    ],
    ['longPoll: false', { longPoll: false }, 'auto', 'sse'],
  ])('%s: %s ends on %s', async (name, capabilities, transport, expected) => {
    const s = story(`${name}, ${transport}`);
    const server = await serverWithout(capabilities);
    const logger = recordingLogger();
    const client = new TranslationClient({ baseUrl: server.url, transport, logger, logLevel: 'debug' });
    const job = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 30,
      simulate: { durationMs: 1000 },
    });
    const { status, stats } = await client.waitForCompletion(job.id, { ...s.callbacks });
    s.log(
      `done via ${stats.transport}; log: ${logger.calls.map((c) => `${c.level} ${c.message ?? ''}`).join(' | ')}`,
    );
    expect(status.result).toBe('completed');
    expect(stats.transport).toBe(expected);
    // A forced transport the server lacks is worth a warning; `auto` adapting is not.
    const warned = logger.calls.some((c) => c.level === 'warn');
    expect(warned).toBe(transport !== 'auto' && transport !== expected);
  });

  it('batch: false: waitForAll waits on each job instead', async () => {
    const s = story('batch: false');
    const server = await serverWithout({ batch: false });
    const client = new TranslationClient({ baseUrl: server.url });
    const ids = await Promise.all(
      ['es', 'fr', 'de'].map(async (targetLanguage, i) => {
        const job = await client.createJob({
          sourceLanguage: 'en',
          targetLanguage,
          videoDurationSeconds: 30,
          simulate: { durationMs: 600 + 300 * i },
        });
        return job.id;
      }),
    );
    const settled = await client.waitForAll(ids, { ...s.callbacks });
    expect(settled.map((r) => [r.jobId, r.ok])).toEqual(ids.map((id) => [id, true]));
  });
});

describe('a plain server with only GET /status', () => {
  let plain: Server;
  let url: string;
  const requests: { method: string | undefined; url: string | undefined; prefer: string | undefined }[] = [];
  let completeAfter = 0;

  beforeAll(async () => {
    // Answers `{"result": ...}` and nothing else: no id, no hints, no capabilities, 404 for the rest.
    plain = createServer((req, res) => {
      const prefer = req.headers.prefer;
      requests.push({
        method: req.method,
        url: req.url,
        prefer: typeof prefer === 'string' ? prefer : undefined,
      });
      if (req.method !== 'GET' || req.url !== '/status') {
        res.writeHead(404).end();
        return;
      }
      const result = Date.now() >= completeAfter ? 'completed' : 'pending';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result }));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    plain.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      plain.close((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  });

  it('auto simply polls it, quietly, until it says completed', async () => {
    const s = story('plain /status');
    completeAfter = Date.now() + 1500;
    const logger = recordingLogger();
    const client = new TranslationClient({ baseUrl: url, logger, logLevel: 'debug' });
    const { status, stats } = await client.waitForCompletion(undefined, { ...s.callbacks });
    s.log(`done via ${stats.transport} in ${stats.requests} requests`);
    expect(status.result).toBe('completed');
    expect(stats.transport).toBe('poll');
    expect(requests.every((r) => r.method === 'GET' && r.url === '/status')).toBe(true);
    expect(requests.some((r) => r.prefer !== undefined)).toBe(false);
    // 1.5 s at 1 s, then 2 s growth: a handful of requests, not a tight loop.
    expect(stats.requests).toBeGreaterThanOrEqual(2);
    expect(stats.requests).toBeLessThanOrEqual(5);
    expect(logger.calls.filter((c) => c.level === 'warn' || c.level === 'error')).toEqual([]);
  });
});
