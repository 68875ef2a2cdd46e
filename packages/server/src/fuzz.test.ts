/**
 * Property-based fuzzing of every route through app.inject: whatever the method, path, id, query,
 * headers or body, the answer is a 2xx or a 4xx in the one JSON error shape, never a 5xx, a crash or
 * a hang. Time is frozen (FakeClock), so a request the server decided to hold shows up as a hang.
 */
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { FakeClock } from './domain/clock.js';
import { ErrorCode } from './protocol/errors.js';

let app: FastifyInstance;
let pendingJobId: string;
const CODES = new Set<string>(Object.values(ErrorCode));

beforeAll(async () => {
  // The default job is already complete, so nothing fuzzed can be held: a held request is a hang.
  app = await buildApp({ clock: new FakeClock(), logLevel: 'silent', delayMs: 0, maxWaitSeconds: 5 });
  const created = await app.inject({
    method: 'POST',
    url: '/jobs',
    payload: { source_language: 'en', target_language: 'es', video_duration_seconds: 60 },
  });
  pendingJobId = created.json<{ id: string }>().id;
});
afterAll(async () => {
  await app.close();
});

/** Printable ASCII: what a header value can legally carry. */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const anyText = fc.string({ unit: 'binary', maxLength: 60 });
const id = fc.oneof(anyText.map(encodeURIComponent), fc.stringMatching(/^[A-Za-z0-9_%.~-]{0,40}$/));

const path = fc.oneof(
  fc.constantFrom('/status', '/jobs', '/healthz', '/metrics', '/openapi.json', '/', '//', '/jobs/'),
  id.map((i) => `/jobs/${i}`),
  id.map((i) => `/jobs/${i}/events`),
  fc.array(id, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
);

const query = fc
  .dictionary(
    fc.oneof(fc.constantFrom('ids', 'versions', 'job_id'), fc.stringMatching(/^[a-z_]{1,8}$/)),
    anyText,
    {
      maxKeys: 3,
    },
  )
  .map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&'),
  );

const preferValue = fc.oneof(
  fc.integer({ min: -5, max: 10 ** 12 }).map((n) => `wait=${n}`),
  fc.constantFrom('wait=abc', 'wait=', 'wait="3"', 'respond-async, wait=2', 'wait=1;x=y', 'WAIT=0'),
  headerText,
);
const headers = fc.record(
  {
    prefer: preferValue,
    'last-event-id': fc.oneof(headerText, fc.nat().map(String), fc.constant('99999999999999999999')),
    'content-type': fc.oneof(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/json; charset=utf-8',
        'multipart/form-data',
      ),
      headerText,
    ),
    'if-none-match': fc.oneof(
      headerText,
      fc.nat().map((n) => `"v${n}"`),
      fc.constant('*'),
    ),
    authorization: headerText,
  },
  { requiredKeys: [] },
);

const validBody = { source_language: 'en', target_language: 'es', video_duration_seconds: 90 };
const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({
      source_language: fc.oneof(fc.constantFrom('en', 'pt-BR', 'EN'), fc.jsonValue()),
      target_language: fc.oneof(fc.constantFrom('es', 'zh-Hant'), fc.jsonValue()),
      video_duration_seconds: fc.oneof(fc.double(), fc.integer(), fc.jsonValue()),
      lip_sync: fc.oneof(fc.boolean(), fc.jsonValue()),
      simulate: fc.oneof(
        fc.record(
          {
            duration_ms: fc.oneof(fc.integer(), fc.double()),
            outcome: fc.oneof(fc.constantFrom('completed', 'error'), anyText),
            error_code: fc.oneof(fc.constantFrom('lip_sync_failed', 'render_failed'), anyText),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      extra: fc.jsonValue(),
    })
    .chain((full) =>
      fc.subarray(Object.keys(full)).map((keys) => ({
        ...validBody,
        ...Object.fromEntries(keys.map((k) => [k, full[k as keyof typeof full]])),
      })),
    )
    .map((v) => JSON.stringify(v)),
  anyText,
  fc.constant(''),
);

const HANG_MS = 2000;

/** Injects with a bound: a request that neither answers nor fails within HANG_MS is a hang. */
async function injectBounded(options: InjectOptions) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`hang: ${JSON.stringify(options)}`));
    }, HANG_MS);
  });
  try {
    return await Promise.race([app.inject(options), hang]);
  } finally {
    clearTimeout(timer);
  }
}

function checkAnswer(method: string, statusCode: number, text: string, what: unknown): void {
  expect(statusCode, JSON.stringify(what)).toBeGreaterThanOrEqual(200);
  expect(statusCode, JSON.stringify(what)).toBeLessThan(500);
  if (statusCode >= 400 && method !== 'HEAD') {
    const parsed = JSON.parse(text) as { error: { code: string; message: string } };
    expect(Object.keys(parsed)).toEqual(['error']);
    expect(CODES.has(parsed.error.code), text).toBe(true);
    expect(parsed.error.message.length).toBeGreaterThan(10);
  }
}

describe('fuzzing every route', () => {
  it('answers any method, path, query and headers with a 2xx or a JSON 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        path,
        query,
        headers,
        fc.option(body),
        async (method, p, q, h, b) => {
          const options = {
            method: method,
            url: q === '' ? p : `${p}?${q}`,
            headers: h,
            ...(b === null || method === 'GET' || method === 'HEAD' ? {} : { payload: b }),
          } as InjectOptions;
          const res = await injectBounded(options);
          checkAnswer(method, res.statusCode, res.body, options);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('answers any POST /jobs body with 201, or 400/413/415 naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('application/json', 'application/json; charset=utf-8'),
        async (b, type) => {
          const res = await injectBounded({
            method: 'POST',
            url: '/jobs',
            headers: { 'content-type': type },
            payload: b,
          });
          expect([201, 400, 413]).toContain(res.statusCode);
          checkAnswer('POST', res.statusCode, res.body, b);
          if (res.statusCode === 400) {
            expect(res.json<{ error: { message: string } }>().error.message).toMatch(
              /^The request is invalid: .*body/,
            );
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('holds a pending job only as Prefer asks, never past the cap, whatever the headers', async () => {
    await fc.assert(
      fc.asyncProperty(headers, async (h) => {
        const url = `/jobs/${pendingJobId}`;
        const res = await injectBounded({ url, headers: { ...h, prefer: 'wait=0' } });
        checkAnswer('GET', res.statusCode, res.body, h);
        const applied = res.headers['preference-applied'];
        if (applied !== undefined) expect(applied).toBe('wait=0');
      }),
      { numRuns: 200 },
    );
  });

  it('answers every id list in a batch with one entry per id, or a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { maxLength: 120 }), fc.option(anyText), async (ids, versions) => {
        const q = `ids=${encodeURIComponent(ids.join(','))}${versions === null ? '' : `&versions=${encodeURIComponent(versions)}`}`;
        const res = await injectBounded({ url: `/jobs?${q}` });
        checkAnswer('GET', res.statusCode, res.body, q);
        if (res.statusCode === 200) {
          const wanted = ids
            .join(',')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          expect(res.json<{ jobs: unknown[] }>().jobs).toHaveLength(wanted.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
