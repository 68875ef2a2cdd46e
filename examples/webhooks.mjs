// A job's signed webhooks, received and used to end a wait. Run: npm run build && node examples/webhooks.mjs
/* global console, fetch -- Node globals; the lint config declares none for .mjs */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createWebhookReceiver, TranslationClient } from '@translation-status/client';
import { startServer } from '@translation-status/server';

// The secret the server signs with (`serve --webhook-secret whsec_…`) and the receiver checks with.
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const server = await startServer({ port: 0, logLevel: 'silent', webhookSecrets: [secret] });

// The receiver's endpoint: listening first, so its URL (and port) is known.
const endpoint = createServer().listen(0, '127.0.0.1');
await once(endpoint, 'listening');
const receiver = createWebhookReceiver({
  secret,
  url: `http://127.0.0.1:${endpoint.address().port}/hooks`,
  onEvent: (event) => console.log(`${event.type} ${event.job.jobId} ${event.job.result} ${event.job.stage}`),
  onReject: (error) => console.log(`rejected: ${error.reason}`),
});
endpoint.on('request', receiver.node);

// A request that is not from the server is answered 401 and never reaches onEvent.
const forged = await fetch(receiver.url, {
  method: 'POST',
  headers: {
    'webhook-id': 'msg_x',
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': 'v1,AAAA',
  },
  body: '{}',
});
console.log(`forged request answered ${forged.status}`);

// Jobs this client creates get the receiver's URL as callback_url; their waits end when it is called.
const client = new TranslationClient({ baseUrl: server.url, webhooks: receiver });
const job = await client.createJob({
  sourceLanguage: 'en',
  targetLanguage: 'es',
  videoDurationSeconds: 90,
  lipSync: false,
  simulate: { durationMs: 1500 },
  callbackEvents: ['job.stage_changed', 'job.completed', 'job.failed'],
});

const { status, stats } = await client.waitForCompletion(job.id);
console.log(`${status.result} after ${stats.requests} requests via ${stats.transport}`);
endpoint.close();
await server.close();
