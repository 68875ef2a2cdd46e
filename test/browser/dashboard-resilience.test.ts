/**
 * The dashboard when things are not simple: the server restarts under it (its streams reconnect and
 * the job is followed to its end), and a server that wants an API key (the page asks for one, and the
 * key never appears in a URL or in the page).
 */
import { InMemoryJobStore, systemClock, type RunningServer } from '@translation-status/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeOver } from '../../packages/server/src/test-support/stores.js';
import { buildCli, inProcessServer } from '../integration/support.js';
import { launchChromium, skipWithoutChromium } from './chromium.js';
import { createThroughForm, openDashboard, rowOf, waitForBadge } from './dashboard-page.js';

describe.skipIf(skipWithoutChromium)('the dashboard in Chromium, when things are not simple', () => {
  let browser: Browser;

  beforeAll(async () => {
    await buildCli();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser.close();
  });

  it('follows a job to its end across a restart of the server (the stream reconnects)', async () => {
    // The jobs outlive the server, as they would in a shared store: a restart loses no job.
    const jobs = new InMemoryJobStore({
      clock: systemClock,
      model: { timeScale: 1, errorRate: 0, etaError: 0 },
      seed: 7,
    });
    const store = storeOver(jobs, { close: () => Promise.resolve() });
    let server: RunningServer = await inProcessServer({ store });
    const dashboard = await openDashboard(browser, `${server.url}/`);
    try {
      const { page } = dashboard;
      const id = await createThroughForm(page, {
        'simulate.duration_ms': '5000',
        'simulate.outcome': 'completed',
      });
      await rowOf(page, id).locator('.badge', { hasText: 'pending' }).waitFor();
      // The job's streams: its own, or a shared one listing it.
      const streamsOf = (): number =>
        dashboard.requests.filter((r) => {
          const url = new URL(r.slice(r.indexOf(' ') + 1), 'http://page');
          const shared = url.pathname === '/events' && url.searchParams.get('ids')?.split(',').includes(id);
          return r === `GET /jobs/${id}/events` || shared === true;
        }).length;
      const streamsBefore = streamsOf();

      await server.close(); // ends the job's stream without a terminal event
      await page.locator('#connection[data-state="trouble"]').waitFor({ timeout: 10_000 });
      server = await inProcessServer({ store, port: server.port });

      await waitForBadge(page, id, 'completed', 30_000);
      await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 10_000 });
      const streams = streamsOf();
      expect(streams).toBeGreaterThan(streamsBefore);
      // New work goes on as before.
      const next = await createThroughForm(page, {
        'simulate.duration_ms': '500',
        'simulate.outcome': 'completed',
      });
      await waitForBadge(page, next, 'completed');
    } finally {
      await dashboard.close();
      await server.close();
      await jobs.close();
    }
  }, 60_000);

  it('asks for the API key, says when one is refused, and never puts it in a URL or the page', async () => {
    const key = 'k3y-for-the-dashboard-test';
    const server = await inProcessServer({ apiKeys: [key] });
    const dashboard = await openDashboard(browser, `${server.url}/`);
    const authorized: string[] = [];
    dashboard.page.on('request', (request) => {
      if (request.headers()['authorization'] === `Bearer ${key}`) authorized.push(request.url());
    });
    try {
      const { page } = dashboard;
      const dialog = page.locator('#key-dialog[open]');
      await dialog.waitFor();
      expect(await page.locator('#key-reason').innerText()).toBe('This server wants an API key.');
      await page.locator('#key-input').fill('not-the-key');
      await page.keyboard.press('Enter');
      await page.locator('#key-reason', { hasText: 'refused' }).waitFor();

      await page.locator('#key-input').fill(key);
      await page.keyboard.press('Enter');
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      expect(await dialog.count()).toBe(0);
      const id = await createThroughForm(page, {
        'simulate.duration_ms': '800',
        'simulate.outcome': 'completed',
      });
      await waitForBadge(page, id, 'completed');

      // Kept for the tab: a reload does not ask again.
      await page.reload();
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      await rowOf(page, id).waitFor();
      expect(await dialog.count()).toBe(0);

      expect(authorized.length).toBeGreaterThan(0);
      expect(page.url()).not.toContain(key);
      expect(dashboard.requests.filter((request) => request.includes(key))).toEqual([]);
      expect(await page.content()).not.toContain(key);
    } finally {
      await dashboard.close();
      await server.close();
    }
  }, 60_000);
});
