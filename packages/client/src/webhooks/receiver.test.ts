import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, type WebhookVerificationError } from '../errors/index.js';
import { createWebhookReceiver, type WebhookReceiverOptions } from './receiver.js';
import type { WebhookEvent } from './verify.js';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

function delivery(id: string, jobId = 'job_1', result = 'completed') {
  const body = JSON.stringify({
    type: 'job.completed',
    timestamp: new Date().toISOString(),
    data: { id: jobId, result },
  });
  const now = new Date();
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(SECRET).sign(id, now, body),
    },
  };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real Node server on an ephemeral loopback port running `receiver.node`. */
async function nodeEndpoint(options: Partial<WebhookReceiverOptions> = {}) {
  const receiver = createWebhookReceiver({ secret: SECRET, ...options });
  const server = createServer((request, response) => {
    receiver.node(request, response);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { receiver, post: (init: RequestInit) => fetch(url, { method: 'POST', ...init }) };
}

describe.each(['node', 'fetch'] as const)('webhook receiver (%s)', (kind) => {
  async function endpoint(options: Partial<WebhookReceiverOptions> = {}) {
    if (kind === 'node') return nodeEndpoint(options);
    const receiver = createWebhookReceiver({ secret: SECRET, ...options });
    return {
      receiver,
      post: (init: RequestInit) =>
        receiver.fetch(new Request('http://receiver.test/hooks', { method: 'POST', ...init })),
    };
  }

  it('answers 200 and hands the event to onEvent once, after the answer', async () => {
    const events: WebhookEvent[] = [];
    const { post } = await endpoint({ onEvent: (event) => void events.push(event) });
    const response = await post(delivery('msg_a'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    await vi.waitFor(() => {
      expect(events.map((event) => event.webhookId)).toEqual(['msg_a']);
    });
  });

  it('acknowledges a redelivered webhook-id without handling it again', async () => {
    const onEvent = vi.fn();
    const { post } = await endpoint({ onEvent });
    const first = delivery('msg_b');
    await post(first);
    const again = await post(delivery('msg_b'));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onEvent).toHaveBeenCalledTimes(1);
  });

  it('answers 401 to a bad signature and tells onReject why', async () => {
    const rejected: WebhookVerificationError[] = [];
    const onEvent = vi.fn();
    const { post } = await endpoint({ onEvent, onReject: (error) => void rejected.push(error) });
    const request = delivery('msg_c');
    const response = await post({ ...request, body: request.body.replace('job_1', 'job_2') });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_signature' } });
    expect(rejected.map((error) => error.reason)).toEqual(['bad_signature']);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('answers 400 to a request without the headers', async () => {
    const { post } = await endpoint();
    const response = await post({ body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'missing_header' } });
  });

  it('answers 413 to a body over maxBodyBytes, without reading all of it', async () => {
    const { post } = await endpoint({ maxBodyBytes: 1024 });
    const response = await post({ ...delivery('msg_d'), body: 'x'.repeat(100_000) });
    expect(response.status).toBe(413);
  });

  it('answers 405 to anything but POST', async () => {
    const { post } = await endpoint();
    expect((await post({ method: 'PUT', body: 'x' })).status).toBe(405);
  });

  it('still answers 200 when onEvent fails, and reports the failure to onError', async () => {
    const failures: unknown[] = [];
    const { post } = await endpoint({
      onEvent: () => Promise.reject(new Error('database down')),
      onError: (error) => void failures.push(error),
    });
    expect((await post(delivery('msg_e'))).status).toBe(200);
    await vi.waitFor(() => {
      expect(failures).toEqual([new Error('database down')]);
    });
  });

  it('passes each new event to the subscribers of its job until they unsubscribe', async () => {
    const { receiver, post } = await endpoint();
    const seen: string[] = [];
    const stop = receiver.subscribe('job_9', (event) => void seen.push(event.webhookId));
    await post(delivery('msg_f', 'job_9'));
    await post(delivery('msg_f', 'job_9')); // a redelivery is not passed on
    await post(delivery('msg_g', 'job_8'));
    stop();
    await post(delivery('msg_h', 'job_9'));
    expect(seen).toEqual(['msg_f']);
  });
});

describe('createWebhookReceiver', () => {
  it.each([
    [{ maxBodyBytes: 0 }, 'maxBodyBytes'],
    [{ rememberIds: 1.5 }, 'rememberIds'],
  ])('refuses %o naming the option', (options, option) => {
    expect(() => createWebhookReceiver({ secret: SECRET, ...options })).toThrow(ConfigurationError);
    expect(() => createWebhookReceiver({ secret: SECRET, ...options })).toThrow(option);
  });

  it('refuses a bad secret at once, naming the option but not the value', () => {
    expect(() => createWebhookReceiver({ secret: ['whsec_', SECRET] })).toThrow(/Invalid option secret\[0\]/);
  });
});
