// Polling options, a custom schedule, retries and a logger. Run: node examples/custom-polling.mjs
/* global console -- Node globals; the lint config declares none for .mjs */
import { TranslationClient } from '@translation-status/client';
import { startServer } from '@translation-status/server';

const server = await startServer({ port: 0, logLevel: 'silent', faultErrorRate: 0.3, seed: 3 });

const client = new TranslationClient({
  baseUrl: server.url,
  transport: 'poll', // force plain polling to show the schedule
  polling: { initialDelayMs: 500, maxDelayMs: 5000, multiplier: 1.5, jitter: 0.1 },
  retry: { maxRetries: 5, baseDelayMs: 200, maxDelayMs: 2000, budget: { capacity: 100 } },
  logger: console, // any object with debug, info, warn and error; pino works as is
  logLevel: 'warn',
});
const job = await client.createJob({
  sourceLanguage: 'en',
  targetLanguage: 'de',
  videoDurationSeconds: 30,
  simulate: { durationMs: 2500 },
});

const { stats } = await client.waitForCompletion(job.id, {
  // Your own schedule: every 400 ms, whatever the server hints (still clamped to min/max).
  polling: { schedule: () => 400, minDelayMs: 100 },
  onPoll: (info) => console.log(`request ${info.requests} at ${info.elapsedMs} ms`),
  onRetry: (info) =>
    console.log(`retry ${info.attempt} in ${Math.round(info.delayMs)} ms after ${info.error.code}`),
});
console.log(`completed: ${stats.requests} requests, ${stats.retries} retries`);
await server.close();
