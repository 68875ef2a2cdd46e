// The client against a server that only has GET /status -> {"result": ...}: it simply polls.
/* global console -- Node globals; the lint config declares none for .mjs */
// Run: node examples/plain-status-server.mjs
import { TranslationClient } from '@translation-status/client';
import { createServer } from 'node:http';

const doneAt = Date.now() + 2500;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/status') {
    const result = Date.now() >= doneAt ? 'completed' : 'pending';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result }));
  } else res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}`;

const client = new TranslationClient({ baseUrl });
const { status, stats } = await client.waitForCompletion(); // no id: GET /status
console.log(`${status.result} after ${stats.requests} requests via ${stats.transport}`);
server.close();
