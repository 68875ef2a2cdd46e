/** Waits that a webhook ends, through the client and a real receiver, on a manual clock. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { TranslationClient } from '../client.js';
import { ConfigurationError, JobFailedError } from '../errors/index.js';
import { json } from '../test-support/fake-fetch.js';
import { BASE, drive, harness, jobBody, runUntil, type JobScript } from '../test-support/scenario.js';
import { createWebhookReceiver } from './receiver.js';

const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const CALLBACK = 'http://hooks.test/in';

/** A server whose job (created at 0) takes `doneAt` ms, with an exact `eta_ms`, and a receiver. */
function setup(
  script: JobScript,
  receiverOptions: { safetyNetMs?: number } = {},
  createdEtaMs?: number,
  capabilities?: string,
) {
  const h = harness((request, clock) => {
    const body = jobBody({ ...script, eta: true }, clock.now());
    if (request.method !== 'POST') return json(body, 200);
    const headers: Record<string, string> =
      capabilities === undefined ? {} : { 'status-capabilities': capabilities };
    return json(createdEtaMs === undefined ? body : { ...body, eta_ms: createdEtaMs }, 201, headers);
  });
  const receiver = createWebhookReceiver({
    secret: SECRET,
    url: CALLBACK,
    clock: h.clock,
    ...receiverOptions,
  });
  const client = new TranslationClient({
    baseUrl: BASE,
    fetch: h.fetch,
    clock: h.clock,
    random: () => 0,
    logger: h.logger,
    webhooks: receiver,
  });
  const create = () =>
    client.createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 9 });
  /** Delivers the job's state at `at` as a signed webhook, as our server would. */
  const arrive = async (at: number, id = `msg_${String(at)}`) => {
    const data = jobBody(script, at);
    const body = JSON.stringify({
      type: data['result'] === 'pending' ? 'job.stage_changed' : 'job.completed',
      timestamp: new Date(at).toISOString(),
      data,
    });
    const signature = new Webhook(SECRET).sign(id, new Date(h.clock.now()), body);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(h.clock.now() / 1000)),
      'webhook-signature': signature,
    };
    const answer = await receiver.fetch(new Request(CALLBACK, { method: 'POST', body, headers }));
    expect(answer.status).toBe(200);
  };
  return { h, client, create, arrive };
}

describe('a wait on a job created with the client’s webhook receiver', () => {
  it('sends the receiver’s URL as callback_url', async () => {
    const { h, create } = setup({ doneAt: 10_000 });
    await create();
    expect(JSON.parse(h.requests[0]?.body ?? '{}')).toMatchObject({ callback_url: CALLBACK });
  });

  it('ends the moment the webhook arrives, with no status request, even from a streaming server', async () => {
    const { h, client, create, arrive } = setup(
      { doneAt: 8_000 },
      {},
      undefined,
      'long-poll; max-wait=30, events',
    );
    const job = await create();
    const wait = client.waitForCompletion(job.id);
    await runUntil(h.clock, 8_000);
    await arrive(8_000);
    const done = await drive(h.clock, wait);
    expect(done.status.result).toBe('completed');
    expect(done.stats).toMatchObject({ elapsedMs: 8_000, requests: 0, transport: 'webhook' });
    expect(h.requests.map((request) => request.method)).toEqual(['POST']);
    expect(h.clock.pendingSleeps).toBe(0);
  });

  it('ends at once when the webhook came before the wait', async () => {
    const { h, client, create, arrive } = setup({ doneAt: 0 });
    const job = await create();
    await arrive(0);
    const done = await drive(h.clock, client.waitForCompletion(job.id));
    expect(done.stats).toMatchObject({ elapsedMs: 0, requests: 0, transport: 'webhook' });
  });

  it('tells onStatus of a stage change that comes by webhook, and keeps waiting', async () => {
    const { h, client, create, arrive } = setup({ doneAt: 9_000 });
    const job = await create();
    const seen: string[] = [];
    const wait = client.waitForCompletion(job.id, {
      onStatus: (status, info) => seen.push(`${status.result} ${info.transport}`),
    });
    await runUntil(h.clock, 2_000);
    await arrive(2_000);
    await runUntil(h.clock, 9_000);
    await arrive(9_000);
    await drive(h.clock, wait);
    expect(seen).toEqual(['pending webhook', 'completed webhook']);
  });

  it('rejects with JobFailedError when the webhook says the job failed', async () => {
    const { h, client, create, arrive } = setup({ doneAt: 3_000, outcome: 'error' });
    const job = await create();
    const wait = client.waitForCompletion(job.id).catch((error: unknown) => error);
    await runUntil(h.clock, 3_000);
    await arrive(3_000);
    expect(await drive(h.clock, wait)).toBeInstanceOf(JobFailedError);
  });

  it('reads once at 1.25 × the ETA when the webhook is lost, then every safetyNetMs', async () => {
    // An ETA of 10 s at creation: the read at 12.5 s finds the job pending (it overran), the next,
    // 20 s later, finds it done.
    const { h, client, create } = setup({ doneAt: 20_000 }, { safetyNetMs: 20_000 }, 10_000);
    const job = await create();
    const done = await drive(h.clock, client.waitForCompletion(job.id));
    expect(h.times()).toEqual([0, 12_500, 32_500]);
    expect(done.stats).toMatchObject({ requests: 2, transport: 'webhook' });
  });

  it('leaves the receiver and every timer when aborted', async () => {
    const { h, client, create } = setup({ doneAt: 60_000 });
    const job = await create();
    const controller = new AbortController();
    const wait = client.waitForCompletion(job.id, { signal: controller.signal }).catch((e: unknown) => e);
    await runUntil(h.clock, 1_000);
    controller.abort(new Error('no longer needed'));
    expect(await wait).toEqual(new Error('no longer needed'));
    expect(h.clock.pendingSleeps).toBe(0);
  });

  it('is not used for a job created with another callbackUrl, nor with a forced transport', async () => {
    const { h, client, create } = setup({ doneAt: 2_000 });
    const other = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 9,
      callbackUrl: 'http://elsewhere.test/',
    });
    expect(JSON.parse(h.requests[0]?.body ?? '{}')).toMatchObject({ callback_url: 'http://elsewhere.test/' });
    expect((await drive(h.clock, client.waitForCompletion(other.id))).stats.transport).not.toBe('webhook');
    const mine = await create();
    const forced = await drive(h.clock, client.waitForCompletion(mine.id, { transport: 'poll' }));
    expect(forced.stats.transport).toBe('poll');
  });
});

describe('the webhooks option', () => {
  it.each([
    [{}, 'webhooks'],
    [createWebhookReceiver({ secret: SECRET }), 'webhooks'],
  ])('refuses %o: a receiver with a url is needed', (webhooks, option) => {
    const make = () => new TranslationClient({ baseUrl: BASE, webhooks: webhooks as never });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(option);
  });

  it.each([
    [{ url: 'hooks' }, 'url'],
    [{ url: CALLBACK, safetyNetMs: 0 }, 'safetyNetMs'],
  ])('the receiver refuses %o naming %s', (options, option) => {
    expect(() => createWebhookReceiver({ secret: SECRET, ...options })).toThrow(option);
  });
});
