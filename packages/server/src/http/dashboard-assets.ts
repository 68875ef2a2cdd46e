/**
 * The dashboard's files, read once per process: the page (packages/dashboard), and the client
 * library's built ESM it imports, served as they are with no bundler. An import map in the page maps
 * the bare `@translation-status/client` to the client's files; the Content-Security-Policy allows that
 * one inline map by its hash, and otherwise only the server's own scripts and styles.
 *
 * Every asset sits under a path naming the build (`/dashboard/assets/<version>/`), so it can be cached
 * for good, while the page itself is revalidated on every load.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

export interface DashboardAssets {
  /** The page, with the build's asset paths and import map written in. */
  readonly page: Asset;
  /** By path under `assetsPath`: `main.js`, `dashboard.css`, `client/index.js`... */
  readonly files: ReadonlyMap<string, Asset>;
  /** `/dashboard/assets/<version>`. */
  readonly assetsPath: string;
  /** The page's policy: its own scripts and styles, its import map by hash, requests to itself. */
  readonly contentSecurityPolicy: string;
}

/** The dashboard's files could not be read: not built yet, or a broken install. */
export class DashboardMissingError extends Error {}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Which files are served: scripts, styles, the icon. Not source maps (their sources are not served) nor
 * declarations.
 */
const SERVED = /\.(?:js|css|svg)$/;

const sha256 = (data: Buffer | string, encoding: 'hex' | 'base64'): string =>
  createHash('sha256').update(data).digest(encoding);

function asset(body: Buffer, path: string): Asset {
  return {
    body,
    contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    etag: `"${sha256(body, 'hex').slice(0, 16)}"`,
  };
}

async function servedFiles(root: string, prefix: string, into: Map<string, Buffer>): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (SERVED.test(path)) into.set(`${prefix}${path}`, await readFile(join(root, path)));
  }
}

/** The import map's script element; its text, whitespace and all, is what the policy hashes. */
const IMPORT_MAP_ELEMENT = /<script type="importmap">([\s\S]*?)<\/script>/;

/** The page's HTML with its placeholders filled, and the exact text of its import map; pure. */
export function renderPage(template: string, assetsPath: string): { html: string; importMap: string } {
  const map = JSON.stringify({ imports: { '@translation-status/client': `${assetsPath}/client/index.js` } });
  const html = template.replaceAll('%ASSETS%', assetsPath).replace('%IMPORT_MAP%', map);
  const importMap = IMPORT_MAP_ELEMENT.exec(html)?.[1];
  if (importMap === undefined) throw new DashboardMissingError('The dashboard page has no import map');
  return { html, importMap };
}

/** The page's Content-Security-Policy; pure. */
export function dashboardPolicy(importMap: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'sha256-${sha256(importMap, 'base64')}'`,
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function load(): Promise<DashboardAssets> {
  const require = createRequire(import.meta.url);
  let pageRoot: string;
  let clientDist: string;
  try {
    pageRoot = dirname(require.resolve('@translation-status/dashboard/package.json'));
    clientDist = dirname(require.resolve('@translation-status/client'));
  } catch (error) {
    throw new DashboardMissingError(
      'The dashboard packages cannot be found; reinstall @translation-status/server',
      { cause: error },
    );
  }
  const raw = new Map<string, Buffer>();
  let template: string;
  try {
    await servedFiles(join(pageRoot, 'dist'), '', raw);
    await servedFiles(join(pageRoot, 'public'), '', raw);
    await servedFiles(clientDist, 'client/', raw);
    template = await readFile(join(pageRoot, 'public', 'index.html'), 'utf8');
  } catch (error) {
    throw new DashboardMissingError(
      `The dashboard is not built (${pageRoot}); run npm run build, or start with --no-dashboard`,
      { cause: error },
    );
  }
  if (!raw.has('main.js') || !raw.has('client/index.js')) {
    throw new DashboardMissingError(
      `The dashboard is not built (${pageRoot}); run npm run build, or start with --no-dashboard`,
    );
  }
  const build = createHash('sha256');
  for (const [path, body] of [...raw].sort(([a], [b]) => (a < b ? -1 : 1))) build.update(path).update(body);
  const assetsPath = `/dashboard/assets/${build.digest('hex').slice(0, 12)}`;
  const { html, importMap } = renderPage(template, assetsPath);
  const files = new Map([...raw].map(([path, body]) => [path, asset(body, path)]));
  return {
    page: { ...asset(Buffer.from(html), 'index.html'), contentType: 'text/html; charset=utf-8' },
    files,
    assetsPath,
    contentSecurityPolicy: dashboardPolicy(importMap),
  };
}

let loaded: Promise<DashboardAssets> | undefined;

/**
 * The assets, read on first use and kept for the process (they change only with a rebuild, and then the
 * server restarts). A failed read is not kept, so a later request can find a fresh build.
 */
export function dashboardAssets(): Promise<DashboardAssets> {
  loaded ??= load().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}
