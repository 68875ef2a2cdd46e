/**
 * The baseline for the throughput figure: a bare `node:http` server in its own process that answers
 * every request with the same job resource our server sent, serialised per request as a real handler
 * would. Same IPC protocol as bench/e2e/server-child.ts. With `headers`, it also sends those (the
 * protocol headers our server sent), to show what they cost on the wire apart from our server's work.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildMessage, ParentMessage } from '../e2e/server-process.js';

const { body, headers = {} } = JSON.parse(process.argv[2] ?? '{}') as {
  body?: unknown;
  headers?: Record<string, string>;
};
const extra = Object.entries(headers);
const server = createServer((_request, response) => {
  const text = JSON.stringify(body);
  // The copied headers go through setHeader: spreading them into writeHead's object measured about
  // 2.5 µs more server CPU per request, a cost of that code rather than of the headers.
  for (const [name, value] of extra) response.setHeader(name, value);
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') {
      process.send?.({ type: 'memory', id: message.id, usage: process.memoryUsage() } satisfies ChildMessage);
    } else {
      server.closeAllConnections();
      server.close(() => {
        process.disconnect();
      });
    }
  });
  process.once('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` } satisfies ChildMessage);
});
