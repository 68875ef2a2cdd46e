import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dashboardPolicy, DashboardMissingError, renderPage } from './dashboard-assets.js';

const TEMPLATE = `<link rel="stylesheet" href="%ASSETS%/dashboard.css" />
<script type="importmap">
  %IMPORT_MAP%
</script>
<script type="module" src="%ASSETS%/main.js"></script>`;

describe('renderPage', () => {
  it("writes the build's asset path and the import map of the client's ESM into the page", () => {
    const { html, importMap } = renderPage(TEMPLATE, '/dashboard/assets/abc123');
    expect(html).toContain('href="/dashboard/assets/abc123/dashboard.css"');
    expect(html).toContain('src="/dashboard/assets/abc123/main.js"');
    expect(JSON.parse(importMap)).toEqual({
      imports: { '@translation-status/client': '/dashboard/assets/abc123/client/index.js' },
    });
    // The exact text between the tags, whitespace included: what a browser hashes.
    expect(html).toContain(`<script type="importmap">${importMap}</script>`);
    expect(importMap.startsWith('\n  ')).toBe(true);
  });

  it('refuses a page without an import map', () => {
    expect(() => renderPage('<p>%ASSETS%</p>', '/x')).toThrow(DashboardMissingError);
  });
});

describe('dashboardPolicy', () => {
  it('allows only its own scripts and styles, and the one import map by its hash', () => {
    const map = '{"imports":{}}';
    const digest = createHash('sha256').update(map).digest('base64');
    expect(dashboardPolicy(map)).toBe(
      `default-src 'none'; script-src 'self' 'sha256-${digest}'; style-src 'self'; img-src 'self'; ` +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});
