// Every change of a job as an async iterator. Run: node examples/watch.mjs
/* global console -- Node globals; the lint config declares none for .mjs */
import { TranslationClient } from '@translation-status/client';
import { startServer } from '@translation-status/server';

const server = await startServer({ port: 0, logLevel: 'silent' });
const client = new TranslationClient({ baseUrl: server.url });
const job = await client.createJob({
  sourceLanguage: 'en',
  targetLanguage: 'ja',
  videoDurationSeconds: 45,
  simulate: { durationMs: 2000 },
});

for await (const status of client.watch(job.id)) {
  console.log(status.result, status.stage, status.progress);
}
// Breaking out of the loop early would cancel the wait and free everything.
await server.close();
