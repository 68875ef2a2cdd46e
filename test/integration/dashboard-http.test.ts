/**
 * The dashboard over HTTP (its browser behaviour is in test/browser): where it is served, with which
 * caching and Content-Security-Policy, that the API's own headers stay strict, and that it can be off.
 */
import type { RunningServer } from '@translation-status/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, inProcessServer } from './support.js';

let server: RunningServer;

beforeAll(async () => {
  await buildCli(); // the page and the client's ESM are served from their builds
  server = await inProcessServer();
}, 120_000);

afterAll(async () => {
  await server.close();
});

async function page(path = '/'): Promise<{ response: Response; html: string }> {
  const response = await fetch(`${server.url}${path}`);
  return { response, html: await response.text() };
}

describe('the dashboard page', () => {
  it.each(['/', '/dashboard'])('GET %s is the page, revalidated on every load', async (path) => {
    const { response, html } = await page(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{16}"$/);
    expect(html).toContain('<title>translation-status dashboard</title>');
  });

  it('answers a revalidation of the same page with 304 and no body', async () => {
    const { response } = await page();
    const again = await fetch(`${server.url}/`, {
      headers: { 'if-none-match': response.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('allows only its own scripts, styles and requests, and its import map by hash', async () => {
    const { response, html } = await page();
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^default-src 'none'; script-src 'self' 'sha256-[\w+/]+=*'; style-src 'self';/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Every other answer keeps the API's policy, which runs nothing.
    const api = await fetch(`${server.url}/status`);
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    const missing = await fetch(`${server.url}/nothing-here`);
    expect(missing.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(html).not.toMatch(/<script>(?!\s*$)/); // no inline script but the import map
  });

  it("serves its files and the client's ESM under the build's path, cached for good", async () => {
    const { html } = await page();
    const assets = /href="(\/dashboard\/assets\/[0-9a-f]{12})\/dashboard\.css"/.exec(html)?.[1] ?? '';
    expect(assets).not.toBe('');
    for (const [file, type] of [
      ['main.js', 'text/javascript; charset=utf-8'],
      ['client/index.js', 'text/javascript; charset=utf-8'],
      ['dashboard.css', 'text/css; charset=utf-8'],
      ['icon.svg', 'image/svg+xml'],
    ]) {
      const response = await fetch(`${server.url}${assets}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toBe(type);
      expect(response.headers.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
    }
    // Only what the build holds: no declarations, no other build's path, nothing outside.
    for (const path of [
      `${assets}/main.d.ts`,
      `${assets}/../../../package.json`,
      '/dashboard/assets/000000000000/main.js',
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    }
  });

  it('is open without an API key on a server that wants one, unlike the API', async () => {
    const keyed = await inProcessServer({ apiKeys: ['a-key-for-this-test'] });
    try {
      expect((await fetch(`${keyed.url}/`)).status).toBe(200);
      expect((await fetch(`${keyed.url}/jobs`)).status).toBe(401);
      expect((await fetch(`${keyed.url}/metrics`)).status).toBe(401);
    } finally {
      await keyed.close();
    }
  });

  it('is not served with --no-dashboard: GET / is a 404 like any unknown route', async () => {
    const plain = await inProcessServer({ dashboard: false });
    try {
      const response = await fetch(`${plain.url}/`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    } finally {
      await plain.close();
    }
  });
});
