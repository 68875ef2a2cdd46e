// Wait for one translation job. Run: npm run build && node examples/wait-for-one.mjs
/* global console -- Node globals; the lint config declares none for .mjs */
import { JobFailedError, TranslationClient } from '@translation-status/client';
import { startServer } from '@translation-status/server';

// A simulated server on a free port (any server speaking the protocol works the same).
const server = await startServer({ port: 0, logLevel: 'silent' });

const client = new TranslationClient({ baseUrl: server.url });
const job = await client.createJob({
  sourceLanguage: 'en',
  targetLanguage: 'es',
  videoDurationSeconds: 90,
  simulate: { durationMs: 3000 }, // the simulator's test hook: take exactly 3 s
});
try {
  const { status, stats } = await client.waitForCompletion(job.id, {
    timeoutMs: 60_000,
    onStatus: (s) => console.log(`${s.stage} ${Math.round((s.progress ?? 0) * 100)}%`),
  });
  console.log(`${status.result} after ${stats.requests} requests via ${stats.transport}`);
} catch (error) {
  if (error instanceof JobFailedError) console.error(`failed: ${error.jobErrorCode}`);
  else throw error;
} finally {
  await server.close();
}
