/**
 * The browser example (examples/browser) as a user opens it: its own little site serves the page and
 * the built client ESM, and a real headless Chromium (driven by playwright-core) follows a job on a
 * real server to its end. Here, with the other browser tests, rather than beside the Node examples:
 * what it tests is the page in Chromium, so CI runs it on one Node (see .ci/run).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../../packages/cli/src/test-support/child.js';
import { buildCli } from '../integration/support.js';
import { launchChromium, skipWithoutChromium, watchTrouble } from './chromium.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/browser/', import.meta.url));

/** Serves the example page, opens it in Chromium and resolves with how the page says the wait ended. */
async function runPage(browser: Browser, query: string): Promise<string> {
  const site = spawn(process.execPath, [join(EXAMPLE, 'serve.mjs')], {
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
    // The build makes the client ESM the page imports; the browser starts meanwhile.
    [, browser] = await Promise.all([buildCli(), launchChromium()]);
  }, 120_000);
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
