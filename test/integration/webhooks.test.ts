/**
 * Webhooks end to end (issue 14): our server delivers to real receivers on loopback, signed so that the
 * reference `standardwebhooks` library and our own `verifyWebhook` both accept them, and retries,
 * stops and gives up as docs/protocol.md (Webhooks) says.
 */
import { createWebhookReceiver, TranslationClient, verifyWebhook } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../packages/cli/src/test-support/child.js';
import {
  activeHandles,
  buildCli,
  cliServer,
  eventually,
  expectNoLeakedHandles,
  inProcessServer,
} from './support.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OLD_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let handlesBefore: Record<string, number>;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  handlesBefore = activeHandles();
  await buildCli();
}, 120_000);

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await expectNoLeakedHandles(handlesBefore);
});

/**
 * A receiver on a loopback port that records every request and answers the n-th (0-based) with
 * `answer(n, response)`; an answer that writes nothing leaves the request hanging.
 */
async function sink(
  answer: (n: number, response: ServerResponse) => void = (_n, r) => void r.writeHead(204).end(),
) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      answer(received.length - 1, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

async function webhookServer(options: Parameters<typeof inProcessServer>[0] = {}): Promise<RunningServer> {
  // Time scale 0.001: the retry schedule's 5 s, 5 min, 30 min become 5 ms, 300 ms, 1.8 s.
  const server = await inProcessServer({ webhookSecrets: [SECRET], timeScale: 0.001, ...options });
  closers.push(() => server.close());
  return server;
}

async function createJob(server: RunningServer, fields: Record<string, unknown>, durationMs = 200) {
  const response = await fetch(new URL('/jobs', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source_language: 'en',
      target_language: 'es',
      video_duration_seconds: 10,
      lip_sync: false,
      simulate: { duration_ms: durationMs, outcome: 'completed' },
      ...fields,
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { id: string; error?: { message: string } },
  };
}

async function deliveries(server: RunningServer, jobId: string) {
  const response = await fetch(new URL(`/jobs/${jobId}/deliveries`, server.url));
  expect(response.status).toBe(200);
  return (
    (await response.json()) as {
      deliveries: {
        type: string;
        state: string;
        attempts: { status_code: number | null; error: string | null }[];
      }[];
    }
  ).deliveries;
}

describe('webhook deliveries', () => {
  it('are verified by the reference library and by verifyWebhook, with each secret of a rotation', async () => {
    const server = await webhookServer({ webhookSecrets: [SECRET, OLD_SECRET] });
    const receiver = await sink();
    const { body: job } = await createJob(server, { callback_url: receiver.url });
    await eventually(() => {
      expect(receiver.received).toHaveLength(1);
    });
    const [request] = receiver.received;
    if (request === undefined) throw new Error('no delivery');
    const headers = request.headers as Record<string, string>;
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [SECRET, OLD_SECRET]) {
      expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({
        type: 'job.completed',
        data: { id: job.id, result: 'completed' },
      });
      await expect(verifyWebhook({ body: request.body, headers, secret })).resolves.toMatchObject({
        type: 'job.completed',
        job: { jobId: job.id, result: 'completed' },
      });
    }
    const wrong = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => new Webhook(wrong).verify(request.body, headers)).toThrow();
    await expect(verifyWebhook({ body: request.body, headers, secret: wrong })).rejects.toMatchObject({
      reason: 'bad_signature',
    });
    await expect(
      verifyWebhook({ body: request.body.replace('completed', 'error'), headers, secret: SECRET }),
    ).rejects.toMatchObject({ reason: 'bad_signature' });
    await expect(
      verifyWebhook({
        body: request.body,
        headers,
        secret: SECRET,
        clock: { now: () => Date.now() + 600_000 },
      }),
    ).rejects.toMatchObject({ reason: 'stale_timestamp' });
  });

  it('reach a receiver that fails its first attempts, after retries, with the same webhook-id', async () => {
    const server = await webhookServer();
    const receiver = await sink((n, response) => {
      response.writeHead(n < 2 ? 503 : 200).end();
    });
    const { body: job } = await createJob(server, { callback_url: receiver.url });
    await eventually(async () => {
      expect((await deliveries(server, job.id))[0]?.state).toBe('delivered');
    });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
    expect((await deliveries(server, job.id))[0]?.attempts.map((attempt) => attempt.status_code)).toEqual([
      503, 503, 200,
    ]);
  });

  it('are deduped by our receiver when an answer is lost and the server sends the same id again', async () => {
    const server = await webhookServer({ webhookTimeoutMs: 300 });
    const handled: string[] = [];
    const receiver = createWebhookReceiver({
      secret: SECRET,
      onEvent: (event) => void handled.push(event.webhookId),
    });
    let requests = 0;
    const endpoint = createServer((request, response) => {
      requests += 1;
      // The first answer never leaves: the server times out and sends the event again.
      if (requests === 1) receiver.node(request, { writeHead: () => undefined, end: () => undefined });
      else receiver.node(request, response);
    });
    endpoint.listen(0, '127.0.0.1');
    await once(endpoint, 'listening');
    closers.push(async () => {
      endpoint.closeAllConnections();
      await new Promise((resolve) => endpoint.close(resolve));
    });
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hooks`;
    const { body: job } = await createJob(server, { callback_url: url });
    await eventually(async () => {
      expect((await deliveries(server, job.id))[0]?.state).toBe('delivered');
    });
    expect(requests).toBe(2);
    expect(handled).toHaveLength(1);
  });

  it('stop at a 410: nothing more goes to that URL', async () => {
    const server = await webhookServer();
    const receiver = await sink((_n, response) => void response.writeHead(410).end());
    const first = await createJob(server, { callback_url: receiver.url }, 100);
    await eventually(async () => {
      expect((await deliveries(server, first.body.id))[0]?.state).toBe('gone');
    });
    const second = await createJob(server, { callback_url: receiver.url }, 100);
    await eventually(async () => {
      expect((await deliveries(server, second.body.id))[0]?.state).toBe('gone');
    });
    expect(receiver.received).toHaveLength(1);
  });

  it('time out a receiver that never answers, and retry it', async () => {
    const server = await webhookServer({ webhookTimeoutMs: 200 });
    const receiver = await sink((n, response) => {
      if (n > 0) response.writeHead(200).end(); // the first request hangs
    });
    const { body: job } = await createJob(server, { callback_url: receiver.url });
    await eventually(async () => {
      expect((await deliveries(server, job.id))[0]?.state).toBe('delivered');
    });
    expect((await deliveries(server, job.id))[0]?.attempts.map((attempt) => attempt.error)).toEqual([
      'no answer within 200 ms',
      null,
    ]);
  });

  it('do not follow a redirect', async () => {
    const server = await webhookServer();
    const target = await sink();
    const redirecting = await sink(
      (_n, response) => void response.writeHead(308, { location: target.url }).end(),
    );
    const { body: job } = await createJob(server, { callback_url: redirecting.url });
    await eventually(async () => {
      expect((await deliveries(server, job.id))[0]?.state).toBe('failed');
    });
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('send every stage with callback_events, and count outcomes in the metrics', async () => {
    const server = await webhookServer();
    const receiver = await sink();
    const { body: job } = await createJob(
      server,
      {
        callback_url: receiver.url,
        callback_events: ['job.stage_changed', 'job.completed'],
      },
      1000,
    );
    await eventually(async () => {
      const list = await deliveries(server, job.id);
      expect(list.map((delivery) => [delivery.type, delivery.state])).toContainEqual([
        'job.completed',
        'delivered',
      ]);
      expect(list.every((delivery) => delivery.state === 'delivered')).toBe(true);
    });
    // Deliveries go out concurrently, so they may arrive in any order: each carries the job's version.
    const types = receiver.received.map((request) => (JSON.parse(request.body) as { type: string }).type);
    // Without lip sync: transcribing, translating, voice_synthesis, rendering, then done. (A server
    // slowed down enough to see two stages change at once announces the change it saw, once.)
    const stages = types.filter((type) => type === 'job.stage_changed').length;
    expect(types.filter((type) => type === 'job.completed')).toHaveLength(1);
    expect(stages).toBeGreaterThanOrEqual(1);
    expect(stages).toBeLessThanOrEqual(4);
    expect(types).toHaveLength(stages + 1);
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toMatch(
      new RegExp(
        `^translation_status_webhook_deliveries_total\\{outcome="delivered"\\} ${types.length}$`,
        'm',
      ),
    );
  });
});

describe('waits that a webhook ends', () => {
  /** A loopback endpoint, listening, with `handle` attached once its URL is known. */
  async function endpoint(): Promise<{ url: string; server: Server }> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, server };
  }
  const input = { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 9, lipSync: false };

  it('resolve when the webhook arrives, without a status request', async () => {
    const server = await webhookServer();
    const { url, server: http } = await endpoint();
    const receiver = createWebhookReceiver({ secret: SECRET, url });
    http.on('request', (request: IncomingMessage, response: ServerResponse) => {
      receiver.node(request, response);
    });
    const client = new TranslationClient({ baseUrl: server.url, webhooks: receiver });
    const job = await client.createJob({ ...input, simulate: { durationMs: 300 } });
    const { status, stats } = await client.waitForCompletion(job.id);
    expect(status.result).toBe('completed');
    expect(stats).toMatchObject({ requests: 0, transport: 'webhook' });
  });

  it('end by the safety-net read when every delivery is lost', async () => {
    const server = await webhookServer();
    const { url, server: http } = await endpoint();
    const receiver = createWebhookReceiver({ secret: SECRET, url });
    // The receiver's host answers 410 before the receiver sees anything: no delivery will come.
    http.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      response.writeHead(410).end();
    });
    const client = new TranslationClient({ baseUrl: server.url, webhooks: receiver });
    const job = await client.createJob({ ...input, simulate: { durationMs: 300 } });
    const { status, stats } = await client.waitForCompletion(job.id);
    expect(status.result).toBe('completed');
    expect(stats.transport).toBe('webhook');
    expect(stats.requests).toBeGreaterThanOrEqual(1);
    expect(stats.elapsedMs).toBeLessThan(60_000);
  });
});

describe('callback_url at create time', () => {
  it('is refused with a 400 naming the field when its host is not allowed', async () => {
    const server = await webhookServer();
    const created = await createJob(server, { callback_url: 'http://169.254.169.254/latest/meta-data' });
    expect(created.status).toBe(400);
    expect(created.body.error?.message).toMatch(
      /body\.callback_url .*host '169\.254\.169\.254' is not allowed/,
    );
  });

  it('is accepted for a host on --webhook-allow-hosts', async () => {
    const server = await webhookServer({ webhookAllowHosts: ['hooks.example.test'] });
    expect((await createJob(server, { callback_url: 'http://hooks.example.test/x' }, 60_000)).status).toBe(
      201,
    );
    expect((await createJob(server, { callback_url: 'http://127.0.0.1/x' })).status).toBe(400);
  });

  it('is refused by a server without a webhook secret', async () => {
    const server = await inProcessServer();
    closers.push(() => server.close());
    const created = await createJob(server, { callback_url: 'http://127.0.0.1:9/hooks' });
    expect(created.status).toBe(400);
    expect(created.body.error?.message).toMatch(/body\.callback_url .*--webhook-secret/);
  });

  it('lists no deliveries for a job without a callback, and 404 for an unknown job', async () => {
    const server = await webhookServer();
    const { body: job } = await createJob(server, {}, 60_000);
    expect(await deliveries(server, job.id)).toEqual([]);
    expect((await fetch(new URL('/jobs/job_nope/deliveries', server.url))).status).toBe(404);
  });
});

describe('the CLI', () => {
  it('create --callback-url sends the ending to a listen receiver, which prints it', async () => {
    const server = await cliServer(['--webhook-secret', SECRET]);
    closers.push(async () => {
      await server.stop();
    });
    const listen = startCli(['listen', '--port', '0', '--secret', SECRET, '--count', '1', '--json']);
    const [, url] = await listen.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const created = await runCli([
      'create',
      '--base-url',
      server.url,
      '--target',
      'es',
      '--duration',
      '9',
      '--simulate-duration-ms',
      '300',
      '--callback-url',
      `${url ?? ''}/hooks`,
    ]);
    expect(created.code).toBe(0);
    const run = await listen.exited;
    expect(run.code).toBe(0);
    const event = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(event).toMatchObject({
      event: 'webhook',
      type: 'job.completed',
      data: { id: created.stdout.trim() },
    });
  });
});
