/** Authentication, rate limiting, hold caps, size limits and security headers, through app.inject. */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildAppOptions } from './app.js';
import { buildApp } from './app.js';
import { clientIdentity, createKeyChecker, presentedKey } from './http/auth.js';
import { FakeClock } from './domain/clock.js';
import { FixedWindowLimiter } from './http/rate-limit.js';
import { resolveSettings } from './settings/settings.js';
import { startServer } from './server.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function setup(options: BuildAppOptions = {}) {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
  const app = await buildApp({ clock, logLevel: 'silent', delayMs: 10_000, ...options });
  apps.push(app);
  return { app, clock };
}

function expectErrorShape(body: unknown, code: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String) as string } });
}

const KEY = 'sk_live_0123456789abcdef';

describe('API keys', () => {
  it('finds the key in Authorization: Bearer or X-API-Key', () => {
    expect(presentedKey(`Bearer ${KEY}`, undefined)).toBe(KEY);
    expect(presentedKey(`bearer   ${KEY}`, undefined)).toBe(KEY);
    expect(presentedKey(undefined, KEY)).toBe(KEY);
    expect(presentedKey('Basic abc', undefined)).toBeUndefined();
    expect(presentedKey('Bearer', '')).toBeUndefined();
    expect(presentedKey([`Bearer ${KEY}`], undefined)).toBe(KEY);
  });

  it('accepts exactly the configured keys, whatever their length', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1 }),
        fc.string(),
        (keys, other) => {
          const check = createKeyChecker(keys);
          for (const key of keys) expect(check(key)).toBe(true);
          expect(check(other)).toBe(keys.includes(other));
          expect(check(undefined)).toBe(false);
        },
      ),
    );
  });

  it('never uses the key itself as the client identity', () => {
    expect(clientIdentity(KEY, '10.0.0.1')).not.toContain(KEY);
    expect(clientIdentity(KEY, '10.0.0.1')).toMatch(/^key:[0-9a-f]{16}$/);
    expect(clientIdentity(undefined, '10.0.0.1')).toBe('addr:10.0.0.1');
  });

  it('is off by default', async () => {
    const { app } = await setup();
    expect((await app.inject('/status')).statusCode).toBe(200);
  });

  it('answers 401 in the JSON shape with a Bearer challenge, the default job included', async () => {
    const { app } = await setup({ apiKeys: [KEY, 'second-key'] });
    for (const url of ['/status', '/jobs/abc', '/jobs?ids=a', '/jobs/abc/events', '/metrics', '/nope']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="translation-status"');
      expectErrorShape(res.json(), 'unauthorized');
    }
    const wrong = await app.inject({ url: '/status', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(wrong.json<{ error: { message: string } }>().error.message).toMatch(/not valid/);
  });

  it('lets a valid key through either header, and leaves /healthz and /openapi.json open', async () => {
    const { app } = await setup({ apiKeys: [KEY, 'second-key'] });
    expect(
      (await app.inject({ url: '/status', headers: { authorization: `Bearer ${KEY}` } })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/status', headers: { 'x-api-key': 'second-key' } })).statusCode).toBe(
      200,
    );
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/openapi.json')).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', headers: { 'x-api-key': KEY } })).statusCode).toBe(200);
  });

  it('reads keys from --api-keys or TRANSLATION_STATUS_API_KEYS and never prints one', () => {
    expect(resolveSettings({}, { TRANSLATION_STATUS_API_KEYS: 'a1, b2' }).apiKeys).toEqual(['a1', 'b2']);
    expect(resolveSettings({ 'api-keys': 'c3' }, { TRANSLATION_STATUS_API_KEYS: 'a1' }).apiKeys).toEqual([
      'c3',
    ]);
    expect(() => resolveSettings({ 'max-url-length': '10' }, {})).toThrow(/max-url-length/);
  });

  it('redacts keys and Authorization from every log line, even at trace level', async () => {
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const { app } = await setup({ apiKeys: [KEY], logLevel: 'trace', logStream });
    await app.inject({ url: '/status', headers: { authorization: `Bearer ${KEY}` } });
    await app.inject({ url: '/status', headers: { 'x-api-key': KEY } });
    await app.inject({
      url: '/status',
      headers: { authorization: `Bearer ${KEY}-wrong`, cookie: 'sid=s3cr3t' },
    });
    await app.inject({ url: '/jobs/x', headers: { 'x-api-key': `${KEY}-other` } });
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(4);
    expect(text).toContain('[Redacted]');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('s3cr3t');
  });
});

describe('rate limiting', () => {
  it('counts per client in fixed windows and forgets old windows', () => {
    const limiter = new FixedWindowLimiter(2, 1000);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 10).remaining).toBe(0);
    expect(limiter.take('a', 20)).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 1 });
    expect(limiter.take('b', 30).allowed).toBe(true);
    expect(limiter.size).toBe(2);
    expect(limiter.take('a', 1000).allowed).toBe(true);
    expect(limiter.size).toBe(1);
  });

  it('never allows more than the limit per window, and reset is within the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1000, max: 10_000 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 50_000 }))),
        (limit, windowMs, requests) => {
          const limiter = new FixedWindowLimiter(limit, windowMs);
          const allowed = new Map<string, number>();
          for (const [client, at] of [...requests].sort((x, y) => x[1] - y[1])) {
            const d = limiter.take(client, at);
            expect(d.resetSeconds).toBeGreaterThanOrEqual(1);
            expect(d.resetSeconds).toBeLessThanOrEqual(Math.ceil(windowMs / 1000));
            const slot = `${client}@${Math.floor(at / windowMs)}`;
            if (d.allowed) allowed.set(slot, (allowed.get(slot) ?? 0) + 1);
          }
          for (const n of allowed.values()) expect(n).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });

  it('is off by default: no RateLimit headers', async () => {
    const { app } = await setup();
    const res = await app.inject('/status');
    expect(res.headers['ratelimit']).toBeUndefined();
    expect(res.headers['ratelimit-policy']).toBeUndefined();
  });

  it('answers 429 with Retry-After, RateLimit and RateLimit-Policy; /healthz is never limited', async () => {
    const { app, clock } = await setup({ rateLimit: 2, rateLimitWindowMs: 10_000 });
    const ok = await app.inject('/status');
    expect(ok.headers['ratelimit-policy']).toBe('"default";q=2;w=10');
    expect(ok.headers['ratelimit']).toBe('"default";r=1;t=10');
    await app.inject('/status');
    const limited = await app.inject('/status');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('10');
    expect(limited.headers['ratelimit']).toBe('"default";r=0;t=10');
    expectErrorShape(limited.json(), 'rate_limited');
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    clock.advance(10_000);
    expect((await app.inject('/status')).statusCode).toBe(200);
  });

  it('gives each valid API key its own quota, but not made-up keys', async () => {
    const { app } = await setup({ rateLimit: 1, apiKeys: ['k1', 'k2'] });
    expect((await app.inject({ url: '/status', headers: { 'x-api-key': 'k1' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/status', headers: { 'x-api-key': 'k2' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/status', headers: { 'x-api-key': 'k1' } })).statusCode).toBe(429);
    expect((await app.inject({ url: '/status', headers: { 'x-api-key': 'forged1' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/status', headers: { 'x-api-key': 'forged2' } })).statusCode).toBe(429);
  });
});

describe('hold caps', () => {
  async function heldCount(app: FastifyInstance, n: number): Promise<void> {
    for (let i = 0; i < 10_000 && app.jobStore.subscriptionCount < n; i++) {
      await new Promise((r) => setImmediate(r));
    }
    expect(app.jobStore.subscriptionCount).toBe(n);
  }

  it('limits long-polls and event streams together per client (429), releasing on end', async () => {
    const { app, clock } = await setup({ maxHeldPerClient: 2 });
    const job = (await app.inject('/status')).json<{ id: string }>();
    const poll = app.inject({ url: '/status', headers: { prefer: 'wait=5' } });
    const stream = app.inject({ url: `/jobs/${job.id}/events`, payloadAsStream: true });
    await heldCount(app, 2);
    const refused = await app.inject({ url: '/status', headers: { prefer: 'wait=5' } });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expectErrorShape(refused.json(), 'rate_limited');
    const refusedStream = await app.inject(`/jobs/${job.id}/events`);
    expect(refusedStream.statusCode).toBe(429);
    expect((await app.inject('/status')).statusCode).toBe(200); // a plain read is never refused
    clock.advance(5000);
    expect((await poll).statusCode).toBe(200);
    clock.advance(5000); // the default job ends, and with it the stream
    await stream;
    await heldCount(app, 0);
    const other = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: { source_language: 'en', target_language: 'fr', video_duration_seconds: 60 },
    });
    const again = app.inject({
      url: `/jobs/${other.json<{ id: string }>().id}`,
      headers: { prefer: 'wait=1' },
    });
    const again2 = app.inject({
      url: `/jobs/${other.json<{ id: string }>().id}`,
      headers: { prefer: 'wait=1' },
    });
    await heldCount(app, 2);
    clock.advance(1000);
    expect((await again).statusCode).toBe(200);
    expect((await again2).statusCode).toBe(200);
  });
});

describe('limits and headers', () => {
  it('answers a request target over maxUrlLength with 414 in the JSON shape', async () => {
    const { app } = await setup({ maxUrlLength: 300 });
    const res = await app.inject(`/jobs?ids=${'a,'.repeat(200)}`);
    expect(res.statusCode).toBe(414);
    expectErrorShape(res.json(), 'uri_too_long');
    const longId = await app.inject(`/jobs/${'x'.repeat(600)}`);
    expect(longId.statusCode).toBe(414);
    expectErrorShape(longId.json(), 'uri_too_long');
  });

  it('answers broken percent-encoding with 400 in the JSON shape', async () => {
    const { app } = await setup();
    const res = await app.inject('/jobs/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'invalid_request');
  });

  it('sends the security headers on JSON, errors and event streams, and no X-Powered-By', async () => {
    const { app } = await setup();
    const job = (await app.inject('/status')).json<{ id: string }>();
    for (const url of ['/status', '/healthz', '/nope', '/jobs/missing', `/jobs/${job.id}/events`]) {
      const res = await app.inject({ url, payloadAsStream: true });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
      res.stream().destroy();
    }
  });

  it('keeps CORS off unless origins are configured', async () => {
    const { app } = await setup();
    const res = await app.inject({ url: '/status', headers: { origin: 'https://evil.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/status',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('requests the HTTP parser refuses (real socket)', () => {
  async function raw(port: number, bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => {
        resolve(text);
      });
      socket.on('error', reject);
      socket.end(bytes);
    });
  }

  it('answers oversized headers (431) and garbage (400) in the JSON shape, then closes', async () => {
    const server = await startServer({ port: 0, logLevel: 'silent' });
    try {
      const big = await raw(
        server.port,
        `GET /status HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(big).toMatch(/^HTTP\/1.1 431 /);
      expect(big).toContain('"code":"headers_too_large"');
      expect(big).toContain('x-content-type-options: nosniff');
      const garbage = await raw(server.port, 'HELLO\x00\x01 there\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1.1 400 /);
      expect(garbage).toContain('"code":"invalid_request"');
    } finally {
      await server.close();
    }
  });
});
