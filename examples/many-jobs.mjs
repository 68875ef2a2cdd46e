// One video into three languages, waited for together. Run: node examples/many-jobs.mjs
/* global console -- Node globals; the lint config declares none for .mjs */
import { JobFailedError, TranslationClient } from '@translation-status/client';
import { startServer } from '@translation-status/server';

const server = await startServer({ port: 0, logLevel: 'silent', timeScale: 0.01 });
const client = new TranslationClient({ baseUrl: server.url });

const jobs = await Promise.all(
  ['es', 'fr', 'de'].map((targetLanguage) =>
    client.createJob({ sourceLanguage: 'en', targetLanguage, videoDurationSeconds: 60 }),
  ),
);
// Through GET /jobs?ids=... when the server has it: about one request per change for all jobs.
const results = await client.waitForAll(jobs.map((job) => job.id));
for (const r of results) {
  if (r.ok) console.log(r.jobId, 'completed');
  else if (r.error instanceof JobFailedError)
    console.log(r.jobId, `failed: ${r.error.code} ${r.error.jobErrorCode}`);
  else console.log(r.jobId, `not known: ${r.error.message}`);
}
await server.close();
