/**
 * The built CLI against servers that fail the way real ones do: nothing listening, an HTML page, a 502
 * from a proxy. Exit codes and messages must say what happened, and retries are announced on stderr.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type RunningServer } from '@translation-status/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../test-support/build.js';
import { runCli, startCli } from '../test-support/child.js';

const HTML_PAGE =
  '<!doctype html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome</h1></body></html>';
const HTML_502 =
  '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

function listen(status: number, body: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

let page: { server: Server; url: string };
let gateway: { server: Server; url: string };
let closedUrl: string;
let real: RunningServer;

beforeAll(async () => {
  await buildCli();
  page = await listen(200, HTML_PAGE);
  gateway = await listen(502, HTML_502);
  // A port that was just free: nothing listens there.
  const closed = await listen(200, '');
  closedUrl = closed.url;
  await new Promise((resolve) => closed.server.close(resolve));
  real = await startServer({ port: 0, logLevel: 'silent', delayMs: 60_000, timeScale: 0.001 });
}, 120_000);

afterAll(async () => {
  page.server.close();
  gateway.server.close();
  await real.close();
});

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('wait when the job can never be read', () => {
  it('exits 4, not 3, when nothing listens, naming the connection failure', async () => {
    const run = await runCli(['wait', '--base-url', closedUrl, '--timeout', '2s']);
    expect(run.code).toBe(4);
    // Which limit ends it depends on the jittered retry delays: the 2 s deadline, or (when the delays
    // come out short, as on a busy machine) the retry count first. Either way exit 4, naming the failure.
    expect(run.stderr).toMatch(
      /never read the job's status before --timeout 2\.0s passed|gave up after \d+ retries in a row; the last failure: could not reach/,
    );
    expect(run.stderr).toContain(`could not reach ${closedUrl}/status: connect ECONNREFUSED`);
    expect(run.stderr).toContain('Check --base-url');
    expect(run.stderr).not.toContain('still pending');
    expect(run.stderr).toMatch(/retrying in \S+ after 1 failure in a row: could not reach/);
  });

  it('exits 4 for an HTML page, summarised, not pasted', async () => {
    const run = await runCli(['wait', '--base-url', page.url, '--timeout', '2s']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('did not answer in the status protocol');
    expect(run.stderr).toContain('an HTML page ("Welcome to nginx!")');
    expect(run.stderr).not.toContain('<html');
    expect(run.stderr).not.toMatch(/baseUrl|timeoutMs|maxRetries/);
  });

  it('exits 4 for a 502, and every retry event carries the HTTP status', async () => {
    const run = await runCli(['wait', '--json', '--base-url', gateway.url, '--timeout', '2s']);
    expect(run.code).toBe(4);
    const events = jsonLines(run.stdout);
    const retries = events.filter((e) => e['event'] === 'retry');
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries)
      expect(retry).toMatchObject({ job_id: null, http_status: 502, code: 'http_error' });
    expect(events.at(-1)).toMatchObject({ event: 'error', code: 'unreachable', exit_code: 4, job_id: null });
    expect(run.stderr).toContain('HTTP 502: an HTML page ("502 Bad Gateway")');
  });
});

describe('status', () => {
  it('stops at --timeout and says on stderr that it retries, and why', async () => {
    const started = Date.now();
    const run = await runCli(['status', '--base-url', gateway.url, '--timeout', '1500ms']);
    expect(run.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.stderr).toMatch(
      /translation-status status: retrying in \S+ after 1 failure in a row: the server answered HTTP 502/,
    );
    expect(run.stderr).toContain("never read the job's status before --timeout 1.5s passed");
  });
});

describe('create', () => {
  it('names the flags, not the body fields, when the server refuses the job', async () => {
    const run = await runCli([
      'create',
      '--source',
      'en',
      '--target',
      'en',
      '--duration',
      '5',
      '--base-url',
      real.url,
    ]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('--target must differ from --source');
    expect(run.stderr).not.toMatch(/target_language|source_language|body\./);
  });
});

describe('--json errors', () => {
  it.each([
    ['create', () => ['create', '--target', 'es', '--duration', '5', '--json', '--base-url', page.url]],
    ['status', () => ['status', 'job_nope', '--json', '--base-url', real.url]],
    ['wait', () => ['wait', 'job_nope', '--json', '--base-url', real.url]],
    ['demo', () => ['demo', '--json', '--seed', '-1']],
  ])('%s writes the failure to stdout as an error event', async (_name, args) => {
    const run = await runCli(args());
    expect(run.code).not.toBe(0);
    const last = jsonLines(run.stdout).at(-1);
    expect(last).toMatchObject({ event: 'error', exit_code: run.code });
    expect(last).toHaveProperty('job_id');
    expect(last).toHaveProperty('message');
  });
});

describe('wait output', () => {
  it('says "1 request", not "1 requests"', async () => {
    const created = await runCli([
      'create',
      '--target',
      'es',
      '--duration',
      '5',
      '--simulate-duration-ms',
      '0',
      '--base-url',
      real.url,
    ]);
    const id = created.stdout.trim();
    const run = await runCli(['wait', id, '--transport', 'poll', '--base-url', real.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${id} completed in`);
    expect(run.stdout).toContain('with 1 request (0 retries) via poll');
  });

  it('exits 143 on SIGTERM, saying so, with no request left open', async () => {
    const created = await runCli([
      'create',
      '--target',
      'es',
      '--duration',
      '5',
      '--simulate-duration-ms',
      '60000',
      '--base-url',
      real.url,
    ]);
    const running = startCli([
      'wait',
      created.stdout.trim(),
      '--json',
      '--transport',
      'long-poll',
      '--base-url',
      real.url,
    ]);
    await running.waitFor(/"event":"status"/);
    running.child.kill('SIGTERM');
    const run = await running.exited;
    expect(run.code).toBe(143);
    expect(run.stderr).toContain('interrupted by SIGTERM');
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({
      event: 'error',
      code: 'terminated',
      exit_code: 143,
    });
  });
});
