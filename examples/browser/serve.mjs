// Serves the browser example: the translation server (with CORS for this page) on one port, and the
/* global URL, console, process -- Node globals; the lint config declares none for .mjs */
// page plus the built client (packages/client/dist) on another.
// Run: npm run build && node examples/browser/serve.mjs, then open the printed URL.
import { startServer } from '@translation-status/server';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const page = fileURLToPath(new URL('index.html', import.meta.url));
const clientDist = fileURLToPath(new URL('../../packages/client/dist/', import.meta.url));

const api = await startServer({ port: 0, logLevel: 'silent', corsOrigins: ['*'] });

const site = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  // Only the page and the client's own files; no path can climb out of dist.
  const file =
    path === '/'
      ? page
      : /^\/client\/(?:[\w-]+\/)*[\w.-]+\.js$/.test(path)
        ? `${clientDist}${path.slice('/client/'.length)}`
        : undefined;
  const text = file === undefined ? undefined : await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': file === page ? 'text/html' : 'text/javascript' }).end(text);
});
await new Promise((resolve) => site.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', resolve));

const pageUrl = `http://127.0.0.1:${site.address().port}/?api=${encodeURIComponent(api.url)}`;
console.log(`open ${pageUrl}`);

process.once('SIGINT', stop);
process.once('SIGTERM', stop);
async function stop() {
  site.closeAllConnections();
  site.close();
  await api.close();
}
