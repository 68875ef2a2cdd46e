/**
 * Every example under examples/ runs as a user would run it (after a build), and the browser page
 * runs in a real headless Chromium (driven by playwright-core) against a real server.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium, watchTrouble } from '../browser/chromium.js';
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
    [
      'resume.mjs',
      /^run 1: still pending: checkpoint saved\n(run \d: still pending: checkpoint saved\n)*run \d: completed after \d+ requests? in this run\n$/,
    ],
    [
      'webhooks.mjs',
      // Up to four stage changes (in the order their deliveries arrive; a slowed server may announce two
      // changes as one, as a busy CI machine showed), the ending, then the wait it ended.
      /^rejected: bad_signature\nforged request answered 401\n(job\.stage_changed job_\w+ pending \w+\n){1,4}job\.completed job_\w+ completed done\ncompleted after 0 requests via webhook\n$/,
    ],
    ['heygen.mjs', /^(job_\w+ completed https:\/\/video\.heygen-simulator\.invalid\/job_\w+\.mp4\n){2}$/],
  ])('%s exits 0 with sensible output', async (file, expected) => {
    const run = await runNode([join(EXAMPLES, file)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(expected);
  });
});

/** Serves the example page, opens it in Chromium and resolves with how the page says the wait ended. */
async function runPage(browser: Browser, query: string): Promise<string> {
  const site = spawn(process.execPath, [join(EXAMPLES, 'browser/serve.mjs')], {
    env: cleanEnv({ PORT: '0' }),
  });
  const context = await browser.newContext();
  try {
    const pageUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      site.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const url = /^open (http:\/\/\S+)$/m.exec(out)?.[1];
        if (url !== undefined) resolve(url);
      });
      site.once('exit', (code) => {
        reject(new Error(`serve.mjs exited (${String(code)}): ${out}`));
      });
    });
    const page = await context.newPage();
    const trouble = watchTrouble(page);
    await page.goto(`${pageUrl}${query}`);
    const result = page.locator('#result:not([data-state="pending"])');
    await result.waitFor({ timeout: 20_000 });
    expect(trouble).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    return `${(await result.getAttribute('data-state')) ?? ''}: ${await result.innerText()}`;
  } finally {
    await context.close();
    site.kill('SIGTERM');
    if (site.exitCode === null) await new Promise((resolve) => site.once('close', resolve));
  }
}

describe.skipIf(skipWithoutChromium)('browser example (headless Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('shows a job to completion with the built client ESM', async () => {
    expect(await runPage(browser, '&durationMs=1500&transport=long-poll')).toMatch(
      /^completed: \d+ requests via long-poll$/,
    );
  }, 30_000);

  it('shows a job to completion with transport auto (cross-origin SSE)', async () => {
    expect(await runPage(browser, '&durationMs=1500&timeoutMs=6000')).toMatch(
      /^completed: \d+ requests via sse$/,
    );
  }, 30_000);
});
