import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, WebhookVerificationError } from '../errors/index.js';
import { verifyWebhook, type VerifyWebhookInput } from './verify.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const NOW_MS = 1_800_000_000_000;
const clock = { now: () => NOW_MS };
const BODY = JSON.stringify({
  type: 'job.completed',
  timestamp: '2027-01-15T08:00:00.000Z',
  data: { id: 'job_1', result: 'completed', stage: 'done', progress: 1, version: 7 },
});

/** A request as the reference library would send it. */
function signed(options: { body?: string; secret?: string; at?: number; id?: string } = {}) {
  const body = options.body ?? BODY;
  const id = options.id ?? 'msg_1';
  const at = new Date(options.at ?? NOW_MS);
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? SECRET).sign(id, at, body),
  };
  return { body, headers, secret: SECRET, clock } satisfies VerifyWebhookInput;
}

async function rejection(input: VerifyWebhookInput): Promise<WebhookVerificationError> {
  const error: unknown = await verifyWebhook(input).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof WebhookVerificationError))
    throw new Error(`expected a rejection, got ${String(error)}`);
  return error;
}

describe('verifyWebhook', () => {
  it('returns the event of a request signed by the reference library', async () => {
    const event = await verifyWebhook(signed());
    expect(event).toMatchObject({
      webhookId: 'msg_1',
      type: 'job.completed',
      timestamp: '2027-01-15T08:00:00.000Z',
    });
    expect(event.job).toMatchObject({ jobId: 'job_1', result: 'completed', stage: 'done', version: 7 });
  });

  it('takes the body as bytes too, and Fetch API Headers', async () => {
    const request = signed();
    const event = await verifyWebhook({
      ...request,
      body: new TextEncoder().encode(request.body),
      headers: new Headers(request.headers),
    });
    expect(event.job.jobId).toBe('job_1');
  });

  it('reads header names in any case', async () => {
    const request = signed();
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(verifyWebhook({ ...request, headers })).resolves.toMatchObject({ webhookId: 'msg_1' });
  });

  it('accepts the secret without its whsec_ prefix', async () => {
    await expect(
      verifyWebhook({ ...signed(), secret: SECRET.slice('whsec_'.length) }),
    ).resolves.toBeDefined();
  });

  it('rejects a tampered body', async () => {
    const request = signed();
    const error = await rejection({ ...request, body: request.body.replace('completed', 'error') });
    expect(error.reason).toBe('bad_signature');
    expect(error.webhookId).toBe('msg_1');
  });

  it('rejects a request signed with another secret, without naming either secret', async () => {
    const error = await rejection(signed({ secret: OLD_SECRET }));
    expect(error.reason).toBe('bad_signature');
    expect(error.message).not.toContain(SECRET.slice(6, 20));
    expect(error.message).not.toContain(OLD_SECRET.slice(6, 20));
  });

  it('accepts a header signed with the old and the new secret (rotation, sender side)', async () => {
    const request = signed();
    const at = new Date(NOW_MS);
    const both = `${new Webhook(OLD_SECRET).sign('msg_1', at, request.body)} ${request.headers['webhook-signature']}`;
    await expect(
      verifyWebhook({ ...request, headers: { ...request.headers, 'webhook-signature': both } }),
    ).resolves.toBeDefined();
  });

  it('accepts either secret of a list (rotation, receiver side)', async () => {
    await expect(
      verifyWebhook({ ...signed({ secret: OLD_SECRET }), secret: [SECRET, OLD_SECRET] }),
    ).resolves.toBeDefined();
  });

  it('skips signature versions it does not know (v1a) and rejects a header with none it knows', async () => {
    const request = signed();
    const header = `v1a,${Buffer.alloc(64).toString('base64')} ${request.headers['webhook-signature']}`;
    await expect(
      verifyWebhook({ ...request, headers: { ...request.headers, 'webhook-signature': header } }),
    ).resolves.toBeDefined();
    const onlyV1a = await rejection({
      ...request,
      headers: { ...request.headers, 'webhook-signature': `v1a,${Buffer.alloc(64).toString('base64')}` },
    });
    expect(onlyV1a.reason).toBe('invalid_header');
  });

  it.each([
    ['stale_timestamp', NOW_MS - 301_000, /301 s old \(tolerance 300 s\)/],
    ['future_timestamp', NOW_MS + 301_000, /301 s in the future/],
  ] as const)('rejects a %s outside the tolerance', async (reason, at, message) => {
    const error = await rejection(signed({ at }));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });

  it('accepts timestamps up to the tolerance either way, and honours toleranceSeconds', async () => {
    await expect(verifyWebhook(signed({ at: NOW_MS - 300_000 }))).resolves.toBeDefined();
    await expect(verifyWebhook(signed({ at: NOW_MS + 300_000 }))).resolves.toBeDefined();
    expect((await rejection({ ...signed({ at: NOW_MS - 11_000 }), toleranceSeconds: 10 })).reason).toBe(
      'stale_timestamp',
    );
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('names a missing %s', async (name) => {
    const request = signed();
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([key]) => key !== name));
    const error = await rejection({ ...request, headers });
    expect(error.reason).toBe('missing_header');
    expect(error.message).toContain(`the ${name} header is missing`);
  });

  it('rejects a timestamp that is not whole seconds', async () => {
    const request = signed();
    const error = await rejection({
      ...request,
      headers: { ...request.headers, 'webhook-timestamp': '1.5e9' },
    });
    expect(error.reason).toBe('invalid_header');
  });

  it.each([
    ['not JSON', 'hello', /not UTF-8 JSON/],
    ['an array', '[]', /not a JSON object/],
    ['no type', JSON.stringify({ timestamp: 'x', data: { result: 'pending' } }), /no string 'type'/],
    [
      'no job',
      JSON.stringify({ type: 'job.completed', timestamp: 'x', data: {} }),
      /'data' is not a job resource/,
    ],
  ])('rejects a correctly signed body that is %s as malformed', async (_what, body, message) => {
    const error = await rejection(signed({ body }));
    expect(error.reason).toBe('malformed_body');
    expect(error.message).toMatch(message);
  });

  it.each([
    ['an empty secret', 'whsec_'],
    ['a secret that is not base64', 'whsec_not*base64'],
    ['no secret', []],
  ])('refuses %s with a ConfigurationError that hides the value', async (_what, secret) => {
    const error: unknown = await verifyWebhook({ ...signed(), secret }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).not.toContain('*base64');
  });

  it('agrees with the reference library on any body and id (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.stringMatching(/^msg_[A-Za-z0-9]{1,30}$/),
        fc.nat({ max: 1000 }),
        async (text, id, flip) => {
          const body = JSON.stringify({
            type: 'job.stage_changed',
            timestamp: text,
            data: { result: 'pending' },
          });
          const request = signed({ body, id });
          await expect(verifyWebhook(request)).resolves.toMatchObject({ webhookId: id, timestamp: text });
          const bytes = new TextEncoder().encode(body);
          const index = flip % bytes.length;
          bytes[index] = (bytes[index] ?? 0) ^ 1;
          expect((await rejection({ ...request, body: bytes })).reason).toMatch(/bad_signature/);
        },
      ),
      { numRuns: 50 },
    );
  });
});
