/**
 * A third point for the throughput figure: a plain Fastify app (no hooks, schemas, metrics or hints)
 * answering the same body, to split our server's cost into the framework's and our own.
 */
import Fastify from 'fastify';
import type { ChildMessage, ParentMessage } from '../e2e/server-process.js';

const { body } = JSON.parse(process.argv[2] ?? '{}') as { body?: unknown };
const app = Fastify({ logger: false });
app.get('/status', async (_request, reply) => {
  reply.header('cache-control', 'no-store');
  return body;
});

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.on('message', (message: ParentMessage) => {
  if (message.type === 'memory') {
    process.send?.({ type: 'memory', id: message.id, usage: process.memoryUsage() } satisfies ChildMessage);
  } else {
    void app.close().then(() => {
      process.disconnect();
    });
  }
});
process.once('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', url } satisfies ChildMessage);
