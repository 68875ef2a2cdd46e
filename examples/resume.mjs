// A wait that outlives the process that started it. Run: node examples/resume.mjs
// Each call of handler() stands for one run of a short-lived function (a serverless handler, a cron
// step): it waits at most 1 s, and when time is up it saves a checkpoint for the next run to resume.
/* global AbortSignal, console -- Node globals; the lint config declares none for .mjs */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranslationClient, WaitTimeoutError } from '@translation-status/client';
import { startServer } from '@translation-status/server';

const server = await startServer({ port: 0, logLevel: 'silent' });
const dir = await mkdtemp(join(tmpdir(), 'translation-status-'));
const saved = join(dir, 'checkpoint.txt');

async function handler(jobId) {
  const client = new TranslationClient({ baseUrl: server.url }); // a fresh process knows nothing
  const resumeFrom = await readFile(saved, 'utf8').catch(() => undefined);
  const signal = AbortSignal.timeout(1000); // this run's own limit, not the wait's deadline
  try {
    // The first run sets the wait's deadline; a resumed one keeps it (so no timeoutMs then).
    const timeoutMs = resumeFrom === undefined ? 60_000 : undefined;
    const done = await client.waitForCompletion(jobId, { timeoutMs, resumeFrom, signal });
    const { requests } = done.stats;
    return `completed after ${requests} request${requests === 1 ? '' : 's'} in this run`;
  } catch (error) {
    if (error instanceof WaitTimeoutError || !signal.aborted) throw error;
    await writeFile(saved, client.checkpoint(jobId));
    return 'still pending: checkpoint saved';
  }
}

const setup = new TranslationClient({ baseUrl: server.url });
const job = await setup.createJob({
  sourceLanguage: 'en',
  targetLanguage: 'fr',
  videoDurationSeconds: 30,
  simulate: { durationMs: 2_500 },
});
for (let run = 1; run <= 5; run++) {
  const outcome = await handler(job.id);
  console.log(`run ${run}: ${outcome}`);
  if (outcome.startsWith('completed')) break;
}
await rm(dir, { recursive: true, force: true });
await server.close();
