/**
 * `wait` on a real pseudo-terminal (util-linux `script`): the bar redraws in place in a narrow terminal,
 * retry notices leave no stale bar behind, and TERM=dumb gets no cursor movement at all.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type RunningServer } from '@translation-status/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../test-support/build.js';
import { runCli } from '../test-support/child.js';
import { runInPty } from '../test-support/pty.js';
import { replayTerminal } from '../test-support/screen.js';

let real: RunningServer;
let proxy: Server;
let proxyUrl: string;
let requests = 0;

beforeAll(async () => {
  await buildCli();
  real = await startServer({ port: 0, logLevel: 'silent', timeScale: 0.001 });
  // Forwards to the real server, but answers the 2nd and 3rd requests with 503: two retries mid-wait.
  proxy = createServer((req, res) => {
    requests += 1;
    if (requests === 2 || requests === 3) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end(JSON.stringify({ error: { code: 'unavailable', message: 'Busy.' } }));
      return;
    }
    void fetch(`${real.url}${req.url ?? '/'}`).then(async (answer) => {
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (key !== 'content-length' && key !== 'transfer-encoding') headers[key] = value;
      });
      res.writeHead(answer.status, headers);
      res.end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  proxy.close();
  await real.close();
});

async function createJob(durationMs: number): Promise<string> {
  const run = await runCli([
    'create',
    '--target',
    'es',
    '--duration',
    '5',
    '--simulate-duration-ms',
    String(durationMs),
    '--base-url',
    real.url,
  ]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim();
}

const BAR = /[█░]/;

describe('wait on a terminal', () => {
  it('redraws its bar in place in 50 columns, and a retry notice leaves no stale bar', async () => {
    requests = 0;
    const id = await createJob(6000);
    const run = await runInPty(['wait', id, '--transport', 'poll', '--base-url', proxyUrl], {
      columns: 50,
      term: 'xterm',
    });
    expect(run.code, run.output).toBe(0);
    // Rows joined back into the lines written: a line longer than the terminal wraps onto more rows.
    const lines: { text: string; rows: number }[] = [];
    for (const row of replayTerminal(run.output, 50)) {
      const last = lines.at(-1);
      if (row.continued && last !== undefined) {
        last.text += row.text;
        last.rows += 1;
      } else if (row.text !== '') lines.push({ text: row.text, rows: 1 });
    }
    const summary = lines.at(-1);
    const bar = lines.at(-2);
    expect(summary?.text).toMatch(
      new RegExp(`^${id} completed in \\S+ with \\d+ requests \\(2 retries\\) via poll$`),
    );
    expect(bar?.text).toMatch(/completed$/);
    expect(bar?.rows).toBe(1);
    // Above the final bar, only the two retry notices: no bar, no fragment of one.
    const above = lines.slice(0, -2);
    expect(above).toHaveLength(2);
    for (const line of above) {
      expect(line.text, JSON.stringify(lines, null, 1)).toMatch(
        /^translation-status wait: retrying in \S+ after \d failures? in a row: the server answered HTTP 503/,
      );
      expect(line.text).not.toMatch(BAR);
    }
    // Every frame of the bar fit in one row: the cursor never had to come back over a wrapped line.
    expect(run.output).toContain('\u001b[1A');
  });

  it('gets no cursor movement or colour with TERM=dumb, one plain line per change instead', async () => {
    const id = await createJob(4000);
    const run = await runInPty(['wait', id, '--transport', 'poll', '--base-url', real.url], {
      columns: 50,
      term: 'dumb',
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('\u001b');
    expect(run.output).toMatch(/^\+\s*\S+\s+\S+\s+pending/m);
    expect(run.output).toContain(`${id} completed in`);
  });
});
