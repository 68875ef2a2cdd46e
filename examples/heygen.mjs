// Wait on HeyGen's video translation API (v3), here against the simulator's HeyGen routes.
// Run: npm run build && node examples/heygen.mjs
/* global console, process -- Node globals; the lint config declares none for .mjs */
import { JobFailedError, TranslationClient } from '@translation-status/client';
import { heygenV3 } from '@translation-status/client/heygen';
import { startServer } from '@translation-status/server';

// The simulator with HeyGen's limits: a key, and 10 jobs at once per key (pay-as-you-go).
const apiKey = process.env.HEYGEN_API_KEY ?? 'hg_example_key';
const server = await startServer({ port: 0, logLevel: 'silent', apiKeys: [apiKey], maxConcurrentJobs: 10 });

// Against HeyGen itself: 'https://api.heygen.com', and your HeyGen key as apiKey.
const baseUrl = server.url;
const client = new TranslationClient({ baseUrl, protocol: heygenV3, apiKey });
const job = await client.createJob({
  video: { type: 'url', url: 'https://example.com/talk.mp4' },
  output_languages: ['Spanish (Spain)', 'German'],
  simulate: { duration_ms: 2000 }, // the simulator's test hook (HeyGen has no such field)
});
const results = await client.waitForAll(job.ids, { timeoutMs: 60 * 60_000 });
for (const result of results) {
  if (result.ok) console.log(`${result.jobId} ${result.status.stage} ${result.status.videoUrl}`);
  else if (result.error instanceof JobFailedError)
    console.log(`${result.jobId} failed: ${result.error.jobErrorMessage}`);
  else console.log(`${result.jobId} not known: ${result.error.message}`);
}
await server.close();
