/**
 * The dashboard in a real Chromium against a real server on loopback: what a person sees when they
 * create jobs, make one fail, type a bad value, use only the keyboard, or read it on a phone at night.
 */
import type { RunningServer } from '@translation-status/server';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, inProcessServer } from '../integration/support.js';
import { launchChromium, skipWithoutChromium } from './chromium.js';
import {
  createThroughForm,
  openDashboard,
  recordAnnouncements,
  recordStages,
  rowOf,
  waitForBadge,
} from './dashboard-page.js';

const FAST = { 'simulate.duration_ms': '1500', 'simulate.outcome': 'completed' } as const;

/** Requests of the client library for jobs: creating one, reading or streaming one, or a shared stream. */
const JOB_REQUEST = /^(POST \/jobs$|GET \/jobs\/[^/?]+(\/events)?(\?|$)|GET \/events\?ids=)/;

/** The jobs a request is about: the one in its path, or those of a shared stream's `ids`. */
function jobsOf(request: string): string[] {
  const url = new URL(request.slice(request.indexOf(' ') + 1), 'http://page');
  if (url.pathname === '/events') return url.searchParams.get('ids')?.split(',') ?? [];
  return /^\/jobs\/([^/?]+)/.exec(url.pathname)?.slice(1) ?? [];
}

describe.skipIf(skipWithoutChromium)('the dashboard in Chromium', () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    await buildCli(); // the page's scripts and the client's ESM are served from their builds
    [browser, server] = await Promise.all([launchChromium(), inProcessServer()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([browser.close(), server.close()]);
  });

  it('loads cleanly and follows jobs with at most two requests each on a streaming server', async () => {
    const dashboard = await openDashboard(browser, `${server.url}/`);
    try {
      const { page, trouble, requests } = dashboard;
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await createThroughForm(page, FAST));
      for (const id of ids) await waitForBadge(page, id, 'completed');

      expect(trouble).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [] });
      const jobRequests = requests.filter((request) => JOB_REQUEST.test(request));
      // The jobs the page followed: those it created, and any it found pending (the default job).
      const followed = new Set([...ids, ...jobRequests.flatMap(jobsOf)]);
      expect(jobRequests.length).toBeLessThanOrEqual(2 * followed.size);
      // The page's counter tells the truth: it counts what the browser saw the library send.
      await expect
        .poll(() => page.locator('#request-counter').innerText())
        .toMatch(
          new RegExp(`^${jobRequests.length} requests by the client library for ${followed.size} jobs`),
        );
    } finally {
      await dashboard.close();
    }
  });

  it('shows a job created through the form going through its stages to completed', async () => {
    const dashboard = await openDashboard(browser, `${server.url}/dashboard`);
    try {
      const { page } = dashboard;
      const stages = await recordStages(page);
      const announced = await recordAnnouncements(page);
      const id = await createThroughForm(page, { ...FAST, 'simulate.duration_ms': '2500' });
      await waitForBadge(page, id, 'completed');
      const seen = (await stages())[id] ?? [];
      expect(seen.at(-1)).toBe('done');
      expect(seen).toEqual(expect.arrayContaining(['transcribing', 'translating', 'rendering']));
      const order = [
        'queued',
        'transcribing',
        'translating',
        'voice synthesis',
        'lip sync',
        'rendering',
        'done',
      ];
      expect(seen.map((stage) => order.indexOf(stage))).toEqual(
        [...seen.map((stage) => order.indexOf(stage))].sort((a, b) => a - b),
      );
      await expect.poll(() => rowOf(page, id).locator('progress').getAttribute('value')).toBe('100');
      // Announced to screen readers (other jobs on this server may be announced after it).
      await expect.poll(announced).toContain(`${id} completed`);
    } finally {
      await dashboard.close();
    }
  });

  it('cancels a pending job from its row, with the keyboard, and offers no cancel once it ended', async () => {
    const dashboard = await openDashboard(browser, `${server.url}/`);
    try {
      const { page, trouble } = dashboard;
      const announced = await recordAnnouncements(page);
      const id = await createThroughForm(page, { ...FAST, 'simulate.duration_ms': '60000' });
      const cancel = rowOf(page, id).getByRole('button', { name: `Cancel ${id}` });
      await cancel.focus();
      await page.keyboard.press('Enter');
      await waitForBadge(page, id, 'canceled');
      await expect.poll(announced).toContain(`${id} canceled`);
      await cancel.waitFor({ state: 'hidden' });
      // The server canceled it: the page did not just paint it so.
      const job = (await (await fetch(`${server.url}/jobs/${id}`)).json()) as unknown;
      expect(job).toMatchObject({ result: 'error', error: { code: 'canceled' } });
      expect(trouble).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    } finally {
      await dashboard.close();
    }
  });

  it('shows the error of a job set to fail', async () => {
    const dashboard = await openDashboard(browser, `${server.url}/`);
    try {
      const { page } = dashboard;
      const id = await createThroughForm(page, {
        'simulate.duration_ms': '1000',
        'simulate.outcome': 'error',
        'simulate.error_code': 'render_failed',
      });
      await waitForBadge(page, id, 'failed: render_failed');
      const result = await rowOf(page, id).locator('td[data-label="Result"]').innerText();
      expect(result).toContain('failed: render_failed');
      const job = (await (await fetch(`${server.url}/jobs/${id}`)).json()) as { error: { message: string } };
      expect(result).toContain(job.error.message);
    } finally {
      await dashboard.close();
    }
  });

  it("shows the server's message beside a bad field, and clears it once the form is right", async () => {
    const dashboard = await openDashboard(browser, `${server.url}/`);
    try {
      const { page } = dashboard;
      await page.locator('#f-video_duration_seconds').fill('-5');
      await page.locator('#create button[type="submit"]').click();
      const error = page.locator('#f-video_duration_seconds-error');
      await error.waitFor();
      // The server's own words, not the page's.
      const answer = await fetch(`${server.url}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source_language: 'en', target_language: 'es', video_duration_seconds: -5 }),
      });
      const { error: said } = (await answer.json()) as { error: { message: string } };
      expect(said.message).toContain(`body.${await error.innerText()}`);
      const field = page.locator('#f-video_duration_seconds');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toBe('f-video_duration_seconds-error');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.id))
        .toBe('f-video_duration_seconds');

      await field.fill('30');
      const id = await createThroughForm(page, FAST);
      expect(await error.count()).toBe(0);
      expect(await field.getAttribute('aria-invalid')).toBeNull();
      await waitForBadge(page, id, 'completed');
    } finally {
      await dashboard.close();
    }
  });

  it('can be used with the keyboard alone', async () => {
    const dashboard = await openDashboard(browser, `${server.url}/`);
    try {
      const { page } = dashboard;
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      await page.keyboard.press('Tab'); // the first field
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-source_language');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('fr');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('de');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab'); // video, lip sync, processing time
      await page.keyboard.press('Control+A');
      await page.keyboard.type('1200');
      await page.keyboard.press('Enter');
      await page.locator('#announcer', { hasText: 'Created ' }).waitFor();
      const id = (await page.locator('#announcer').innerText()).replace('Created ', '');
      expect(await rowOf(page, id).locator('td[data-label="Languages"]').innerText()).toBe('fr → de');
    } finally {
      await dashboard.close();
    }
  });

  it('fits a 360 px wide screen and follows dark mode', async () => {
    const dashboard = await openDashboard(browser, `${server.url}/`, {
      viewport: { width: 360, height: 740 },
      colorScheme: 'dark',
    });
    try {
      const { page } = dashboard;
      const id = await createThroughForm(page, FAST);
      await rowOf(page, id).waitFor();
      const layout = await page.evaluate(() => ({
        width: document.documentElement.scrollWidth,
        background: getComputedStyle(document.body).backgroundColor,
      }));
      expect(layout.width).toBeLessThanOrEqual(360);
      const [r = 255, g = 255, b = 255] = (layout.background.match(/\d+/g) ?? []).map(Number);
      expect(r + g + b).toBeLessThan(3 * 64);
      // Each cell says what it is, since the header row is hidden on a narrow screen.
      expect(await rowOf(page, id).locator('td[data-label="Progress"]').isVisible()).toBe(true);
    } finally {
      await dashboard.close();
    }
  });
});

/**
 * Screenshots of the dashboard mid-run, light and dark. The suite writes them to a temporary folder;
 * `npm run docs:screens` points DASHBOARD_SCREENS_DIR at docs/ to refresh the committed ones.
 */
describe.skipIf(skipWithoutChromium)('dashboard screenshots', () => {
  let browser: Browser;
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    await buildCli();
    const given = process.env['DASHBOARD_SCREENS_DIR'];
    dir = given ?? (await mkdtemp(join(tmpdir(), 'dashboard-screens-')));
    [browser, server] = await Promise.all([launchChromium(), inProcessServer({ seed: 20261201 })]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([browser.close(), server.close()]);
    if (process.env['DASHBOARD_SCREENS_DIR'] === undefined) await rm(dir, { recursive: true, force: true });
  });

  it('shows jobs at every point of their lives, light and dark', async () => {
    const dashboard = await openDashboard(browser, `${server.url}/`, {
      viewport: { width: 1280, height: 800 },
    });
    try {
      const { page } = dashboard;
      const done = await createThroughForm(page, {
        'simulate.duration_ms': '600',
        'simulate.outcome': 'completed',
      });
      const failed = await createThroughForm(page, {
        target_language: 'fr',
        'simulate.duration_ms': '900',
        'simulate.outcome': 'error',
        'simulate.error_code': 'lip_sync_failed',
      });
      await createThroughForm(page, {
        target_language: 'de',
        video_duration_seconds: '240',
        'simulate.duration_ms': '40000',
        'simulate.outcome': 'completed',
        'simulate.error_code': '',
      });
      await createThroughForm(page, {
        target_language: 'ja',
        video_duration_seconds: '45',
        'simulate.duration_ms': '12000',
      });
      await waitForBadge(page, done, 'completed');
      await waitForBadge(page, failed, 'failed: lip_sync_failed');
      await page.waitForTimeout(5500); // the pending jobs move on; the panel reads /metrics a second time
      await page.locator('#rates tbody tr').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      const files = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const file = join(dir, `dashboard-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        files.push(file);
      }
      for (const file of files) expect((await stat(file)).size).toBeGreaterThan(20_000);
    } finally {
      await dashboard.close();
    }
  }, 60_000);
});
