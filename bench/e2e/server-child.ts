/**
 * Runs one server in its own process, so the load it serves does not share an event loop with the
 * benchmark that measures it. Started by `spawnServer` (server-process.ts) with its options as JSON in
 * argv[2]; speaks to the parent over IPC: `ready` with the URL, `memory` on request, `created` with the
 * ids of the jobs a `create` asked for, exits on `close`.
 */
import { startServer } from '@translation-status/server';
import type { BuildAppOptions, RunningServer } from '@translation-status/server';
import type { ChildMessage, ParentMessage } from './server-process.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** One job per moment, each simulated to complete then (0 ms if the moment has passed); their ids. */
async function createEndingAt(server: RunningServer, endsAtMs: readonly number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const endsAt of endsAtMs) {
    const job = await server.store.create({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 60,
      lipSync: false,
      simulate: { durationMs: Math.max(0, Math.round(endsAt - Date.now())), outcome: 'completed' },
    });
    ids.push(job.id);
  }
  return ids;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as BuildAppOptions;
  const server = await startServer({ ...options, port: 0, host: '127.0.0.1' });
  process.on('message', (raw: ParentMessage) => {
    if (raw.type === 'memory') {
      send({ type: 'memory', id: raw.id, usage: process.memoryUsage() });
    } else if (raw.type === 'create') {
      void createEndingAt(server, raw.endsAtMs).then((ids) => {
        send({ type: 'created', id: raw.id, ids });
      });
    } else {
      void server.close().then(() => {
        process.disconnect();
      });
    }
  });
  // If the benchmark dies, do not outlive it.
  process.once('disconnect', () => {
    process.exit(0);
  });
  send({ type: 'ready', url: server.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
