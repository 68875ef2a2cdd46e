/**
 * The real browser the browser tests drive: Debian's Chromium through playwright-core, which brings no
 * browser of its own and downloads nothing. One browser per test file (launching costs about a
 * second), a fresh context per test.
 *
 * Without Chromium a developer's run skips these tests; under CI=true it fails them, so a CI machine
 * that lost its browser cannot pass by testing nothing.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_PATH: string | undefined = CANDIDATES.find((path) => existsSync(path));

/** Skip the browser tests: no Chromium here, and not CI (where a missing Chromium is a failure). */
export const skipWithoutChromium: boolean = CHROMIUM_PATH === undefined && process.env['CI'] !== 'true';

export async function launchChromium(): Promise<Browser> {
  if (CHROMIUM_PATH === undefined) {
    throw new Error(
      `No Chromium at ${CANDIDATES.join(', ')}; the browser tests need one (apt-get install chromium)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What went wrong in a page while a test drove it: console errors, uncaught errors, failed loads. */
export interface PageTrouble {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  /** Requests that got no answer (not aborted by the page itself) or an answer of 400 and up. */
  readonly failedRequests: string[];
}

export function watchTrouble(page: Page): PageTrouble {
  const trouble: PageTrouble = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') trouble.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => trouble.pageErrors.push(error.message));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // A stream or held request the page closed on purpose (a finished wait, navigation) is not a failure.
    if (reason !== 'net::ERR_ABORTED')
      trouble.failedRequests.push(`${request.method()} ${request.url()}: ${reason}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      trouble.failedRequests.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
    }
  });
  return trouble;
}
