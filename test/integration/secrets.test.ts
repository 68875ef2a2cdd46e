/**
 * No secret given to the client (API key, header values, credentials in a URL, a mistyped key) ever
 * appears in an error or a log line: every failure kind is provoked against a real server on loopback,
 * with every log level on, and everything the client said is searched for the secret values.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranslationClient, type ClientOptions, type Logger } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { inProcessServer } from './support.js';

const API_KEY = 'sk-live-4f9e2b7c1d';
const HEADER_SECRET = 'hdr-tok-83ab61f0e5';
const URL_PASSWORD = 'pw-url-5c0d9a7e33';
const TYPO_SECRET = 'sk-typo-7e1f06b2aa';
const SECRETS = [API_KEY, HEADER_SECRET, URL_PASSWORD, TYPO_SECRET];

/** Everything an error carries that a logger or a crash report could print, causes included. */
function errorText(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 5) return String(error);
  const own = Object.fromEntries(Object.entries(error).filter(([key]) => key !== 'cause'));
  return [error.message, error.stack ?? '', JSON.stringify(own), errorText(error.cause, depth + 1)].join(
    '\n',
  );
}

const said: string[] = [];
const logger: Logger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [
    level,
    (fields: object, message?: string): void => {
      const values = Object.values(fields as Record<string, unknown>).map((value) =>
        value instanceof Error ? errorText(value) : JSON.stringify(value),
      );
      said.push(`${level} ${message ?? ''} ${JSON.stringify(fields)} ${values.join(' ')}`);
    },
  ]),
) as unknown as Logger;

function client(baseUrl: string, extra: Partial<ClientOptions> = {}): TranslationClient {
  return new TranslationClient({
    baseUrl,
    apiKey: API_KEY,
    headers: { 'x-trace-token': HEADER_SECRET },
    logger,
    logLevel: 'debug',
    timeoutMs: 3_000,
    retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  });
}

async function failure(run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    said.push(errorText(error));
    return;
  }
  throw new Error('expected a failure');
}

let locked: RunningServer;
let flaky: RunningServer;
let html: ReturnType<typeof createServer>;
let htmlUrl: string;

beforeAll(async () => {
  locked = await inProcessServer({ apiKeys: ['the-right-key'] });
  flaky = await inProcessServer({ faultErrorRate: 0.7, seed: 7, timeScale: 0.001 });
  html = createServer((_request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
  });
  await new Promise<void>((listening) => html.listen(0, '127.0.0.1', listening));
  htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all([locked.close(), flaky.close(), new Promise((closed) => html.close(closed))]);
});

describe('secrets', () => {
  it('appear in no error message and no log line, whatever fails', async () => {
    // 401 from a server that wants another key.
    await failure(() => client(locked.url).getStatus());
    await failure(() =>
      client(locked.url).createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 5 }),
    );
    // Retried 5xx, then the job itself (or the retries give out).
    await client(flaky.url)
      .waitForCompletion(undefined, { timeoutMs: 2_000 })
      .catch((error: unknown) => said.push(errorText(error)));
    // A 502 HTML page, and a port nobody listens on.
    await failure(() => client(htmlUrl).waitForCompletion('job_1'));
    await failure(() => client('http://127.0.0.1:9/').getStatus('job_1'));
    // Bad options that hold secrets.
    await failure(() => client(`http://reader:${URL_PASSWORD}@127.0.0.1:9/`));
    await failure(() => client(locked.url, { apikey: TYPO_SECRET } as Partial<ClientOptions>));
    await failure(() => client(locked.url, { apiKey: `${API_KEY}\n` }));
    await failure(() => client(locked.url, { headers: { 'x-trace-token': [HEADER_SECRET] } as never }));

    expect(said.length).toBeGreaterThan(10);
    const leaks = said.filter((line) => SECRETS.some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });
});
