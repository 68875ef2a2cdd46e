// Timeouts and cancellation. Run: node examples/cancel.mjs
/* global AbortController, AbortSignal, console, setTimeout -- Node globals; the lint config declares none for .mjs */
import { TranslationClient, WaitTimeoutError } from '@translation-status/client';
import { startServer } from '@translation-status/server';

const server = await startServer({ port: 0, logLevel: 'silent' });
const client = new TranslationClient({ baseUrl: server.url });
const job = await client.createJob({
  sourceLanguage: 'en',
  targetLanguage: 'it',
  videoDurationSeconds: 600,
  simulate: { durationMs: 60_000 },
});

// 1. A deadline for the whole wait.
try {
  await client.waitForCompletion(job.id, { timeoutMs: 1000 });
} catch (error) {
  if (!(error instanceof WaitTimeoutError)) throw error;
  console.log(`timed out, still ${error.lastStatus?.stage}`);
}

// 2. Cancel with an AbortSignal: the wait rejects with the signal's reason.
const controller = new AbortController();
setTimeout(() => controller.abort(new Error('no longer needed')), 500);
try {
  await client.waitForCompletion(job.id, { signal: controller.signal });
} catch (error) {
  console.log(`cancelled: ${error.message}`);
}

// AbortSignal.timeout works too.
await client.waitForCompletion(job.id, { signal: AbortSignal.timeout(300) }).catch((error) => {
  console.log(`cancelled: ${error.name}`);
});
await server.close();
