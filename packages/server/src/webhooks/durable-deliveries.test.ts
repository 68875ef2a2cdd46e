/**
 * With the Redis store, webhook deliveries outlive the instance that started them: a delivery pending
 * when its instance stops is made by the next instance, with the same webhook id, and a job that ends
 * while no instance runs is still announced, once however many instances follow it. Real servers on
 * loopback, a real redis-server.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.js';
import { startServer } from '../server.js';
import { createJobOver, until as untilWithin } from '../test-support/http.js';
import { RedisServer, redisServerAvailable } from '../test-support/redis-server.js';
import { systemClock } from '../domain/clock.js';
import { createRandom } from '../domain/prng.js';
import { RedisJobStore } from '../domain/redis/redis-store.js';
import { TimerQueue } from '../domain/timer-queue.js';
import { DEFAULT_CALLBACK_EVENTS } from '../protocol/webhook-event.js';
import { WebhookDispatcher } from './dispatcher.js';
import { RedisDeliveryLog } from './redis-delivery-log.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const available = redisServerAvailable();
let redis: RedisServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  if (available) redis = await RedisServer.start({ persistence: true });
});
afterAll(async () => {
  if (available) await redis.close();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An instance on the test's Redis; time scale 0.1 makes the first retry come 0.4-0.6 s after a failure. */
async function instance(): Promise<RunningServer> {
  const server = await startServer({
    port: 0,
    logLevel: (process.env.DEBUG_LOG ?? 'silent') as 'silent',
    storeUrl: redis.url,
    webhookSecrets: [SECRET],
    timeScale: 0.1,
  });
  closers.push(() => server.close());
  return server;
}

/** A receiver that records each request and answers the n-th (0-based) with `status(n)`. */
async function receiver(status: (n: number) => number) {
  const received: IncomingMessage['headers'][] = [];
  const server = createServer((request, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      received.push(request.headers);
      response.writeHead(status(received.length - 1)).end();
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

async function createJob(server: RunningServer, callbackUrl: string, durationMs: number): Promise<string> {
  return (await createJobOver(server, durationMs, { callback_url: callbackUrl })).id;
}

interface Delivery {
  readonly webhook_id: string;
  readonly state: string;
  readonly attempts: { readonly status_code: number | null }[];
}

async function deliveriesOf(server: RunningServer, jobId: string): Promise<Delivery[]> {
  const response = await fetch(`${server.url}/jobs/${jobId}/deliveries`);
  return ((await response.json()) as { deliveries: Delivery[] }).deliveries;
}

const until = (check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => untilWithin(check, ms);

describe.skipIf(!available)('webhook deliveries with the Redis store', () => {
  it('a retry pending when its instance stops is made by the next instance, with the same id', async () => {
    const hooks = await receiver((n) => (n === 0 ? 503 : 204));
    const first = await instance();
    const jobId = await createJob(first, hooks.url, 200);
    // The failed first attempt is written down before its instance stops.
    await until(async () => (await deliveriesOf(first, jobId))[0]?.attempts.length === 1);
    await first.close();
    const second = await instance();
    await until(() => hooks.received.length === 2);
    expect(hooks.received[1]?.['webhook-id']).toBe(hooks.received[0]?.['webhook-id']);
    await until(async () => (await deliveriesOf(second, jobId))[0]?.state === 'delivered');
    const [delivery] = await deliveriesOf(second, jobId);
    expect(delivery?.attempts.map((attempt) => attempt.status_code)).toEqual([503, 204]);
  });

  it('a job that ends while no instance runs is announced once one starts', async () => {
    const hooks = await receiver(() => 204);
    const first = await instance();
    const jobId = await createJob(first, hooks.url, 1500);
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(hooks.received).toHaveLength(0);
    const second = await instance();
    await until(() => hooks.received.length === 1);
    await until(async () => (await deliveriesOf(second, jobId))[0]?.state === 'delivered');
  });

  it('two dispatchers that both follow a job on one Redis announce its ending once', async () => {
    const timers = new TimerQueue(systemClock);
    const store = await RedisJobStore.connect({
      url: redis.url,
      model: { timeScale: 1, errorRate: 0, etaError: 0 },
      seed: 1,
      timers,
      keyPrefix: 'dedupe:',
    });
    closers.push(() => store.close());
    const sent: string[] = [];
    const dispatcher = (): WebhookDispatcher => {
      const d = new WebhookDispatcher({
        store,
        clock: systemClock,
        timers,
        keys: [Buffer.alloc(32, 1)],
        timeScale: 1,
        timeoutMs: 1000,
        random: createRandom(1),
        log: new RedisDeliveryLog(store.shared),
        send: (request) => {
          sent.push(request.headers['webhook-id'] ?? '');
          return Promise.resolve({ kind: 'answered', status: 204 });
        },
      });
      closers.push(() => d.close());
      return d;
    };
    const [a, b] = [dispatcher(), dispatcher()];
    const job = await store.create({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 10,
      lipSync: false,
      simulate: { durationMs: 300 },
    });
    const callback = { url: 'http://127.0.0.1:9/hooks', events: DEFAULT_CALLBACK_EVENTS };
    await Promise.all([a.register(job, callback), b.register(job, callback)]);
    await until(async () => (await a.deliveriesOf(job.id))[0]?.state === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toHaveLength(1);
    expect(await b.deliveriesOf(job.id)).toMatchObject([{ state: 'delivered', webhook_id: sent[0] }]);
  });
});
