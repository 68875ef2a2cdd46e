/**
 * Every example under examples/ runs as a user would run it (after a build), and the browser page
 * runs in a real headless Chromium against a real server.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './support.js';
import { cleanEnv, type CliRun } from '../../packages/cli/src/test-support/child.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

beforeAll(async () => {
  await buildCli(); // builds the client and server packages the examples import
}, 120_000);

function runNode(args: readonly string[], timeoutMs = 30_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe.concurrent('node examples', () => {
  it.each([
    ['wait-for-one.mjs', /^completed after \d+ requests via sse$/m],
    ['many-jobs.mjs', /^(job_\w+ (completed|failed: job_failed \w+)\n){3}$/],
    ['watch.mjs', /^completed done 1$/m],
    ['cancel.mjs', /timed out, still \w+\ncancelled: no longer needed\ncancelled: TimeoutError/],
    ['custom-polling.mjs', /^completed: \d+ requests, [1-9]\d* retries$/m],
    ['plain-status-server.mjs', /^completed after \d+ requests via poll$/m],
  ])('%s exits 0 with sensible output', async (file, expected) => {
    const run = await runNode([join(EXAMPLES, file)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(expected);
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) =>
  existsSync(path),
);

/** Serves the page, opens it in headless Chromium and resolves with what the page reported. */
async function runPage(query: string): Promise<string> {
  const site = spawn(process.execPath, [join(EXAMPLES, 'browser/serve.mjs')], {
    env: cleanEnv({ PORT: '0' }),
  });
  const profile = await mkdtemp(join(tmpdir(), 'translation-status-chromium-'));
  let browser: ReturnType<typeof spawn> | undefined;
  try {
    let out = '';
    const report = new Promise<string>((resolve, reject) => {
      site.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const page = /^open (http:\/\/\S+)$/m.exec(out);
        if (page !== null && browser === undefined) {
          browser = spawn(
            CHROMIUM ?? 'chromium',
            [
              '--headless',
              '--no-sandbox',
              '--disable-gpu',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
              '--no-first-run',
              `--user-data-dir=${profile}`,
              `${page[1] ?? ''}${query}`,
            ],
            { detached: true },
          ); // its own process group, so its helpers can be stopped with it
          browser.once('exit', (code) => {
            reject(new Error(`chromium exited early (${String(code)})`));
          });
        }
        const reported = /^browser reported: (.*)$/m.exec(out);
        if (reported !== null) resolve(reported[1] ?? '');
      });
      site.once('exit', (code) => {
        reject(new Error(`serve.mjs exited (${String(code)}): ${out}`));
      });
    });
    return await report;
  } finally {
    const chromium = browser;
    if (chromium?.pid !== undefined && chromium.exitCode === null) {
      const exited = new Promise((resolve) => chromium.once('exit', resolve));
      process.kill(-chromium.pid, 'SIGKILL'); // the whole group: renderer and GPU helpers too
      await exited;
    }
    site.kill('SIGTERM');
    await new Promise((resolve) => site.once('close', resolve));
    // A helper may still be flushing into the profile for a moment after the kill.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

describe.skipIf(CHROMIUM === undefined)('browser example (headless Chromium)', () => {
  it('shows a job to completion with the built client ESM', async () => {
    expect(await runPage('&durationMs=1500&transport=long-poll')).toMatch(
      /^completed: \d+ requests via long-poll$/,
    );
  }, 30_000);

  it('shows a job to completion with transport auto (cross-origin SSE)', async () => {
    expect(await runPage('&durationMs=1500&timeoutMs=6000')).toMatch(/^completed: /);
  }, 30_000);
});
