/**
 * Waits that webhooks end, end to end: a receiver on loopback (`createWebhookReceiver` with its URL)
 * that the server calls back, and a client given that receiver. Optionally a share of the deliveries is
 * cut before the receiver sees it (the connection destroyed without an answer, as a failing proxy
 * would), so the server retries them later and the client's safety net must end some waits.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createWebhookReceiver, TranslationClient } from '@translation-status/client';
import type { WebhookReceiver } from '@translation-status/client';
import { seededRandom } from '../policy/random.js';
import type { JobSample, Waiter } from './waiters.js';
import { failed, learned } from './waiters.js';
import { mapLimited } from './jobs.js';

interface Endpoint {
  readonly receiver: WebhookReceiver;
  close(): Promise<void>;
}

async function openEndpoint(secret: string, dropRate: number): Promise<Endpoint> {
  const random = seededRandom(7);
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const receiver = createWebhookReceiver({
    secret,
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks`,
  });
  server.on('request', (request, response) => {
    if (random() < dropRate) request.socket.destroy();
    else receiver.node(request, response);
  });
  return {
    receiver,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `ours, webhook`: jobs created with the receiver's URL, each waited on by `waitForCompletion`. */
export function webhookWaiter(dropRate = 0): Waiter {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  let endpoint: Endpoint | undefined;
  return {
    name: dropRate === 0 ? 'ours, webhook' : `ours, webhook, ${String(dropRate * 100)}% of deliveries cut`,
    serverOptions: { webhookSecrets: [secret] },
    async createJobs(baseUrl, durationsMs) {
      endpoint = await openEndpoint(secret, dropRate);
      const client = new TranslationClient({ baseUrl, logLevel: 'silent', webhooks: endpoint.receiver });
      return mapLimited(durationsMs, 50, async (durationMs) => {
        const job = await client.createJob({
          sourceLanguage: 'en',
          targetLanguage: 'es',
          videoDurationSeconds: 60,
          lipSync: false,
          simulate: { durationMs, outcome: 'completed' },
        });
        return job.id;
      });
    },
    async run({ baseUrl, ids, fetch, timeoutMs }) {
      const receiver = endpoint?.receiver;
      if (receiver === undefined) throw new Error('webhookWaiter.run before its createJobs');
      const client = new TranslationClient({ baseUrl, fetch, logLevel: 'silent', webhooks: receiver });
      try {
        return await Promise.all(
          ids.map(async (jobId): Promise<JobSample> => {
            try {
              const { status, stats } = await client.waitForCompletion(jobId, { timeoutMs });
              if (stats.transport !== 'webhook') throw new Error(`ended by ${stats.transport}`);
              return learned(jobId, status.body, stats.requests);
            } catch (error) {
              return failed(jobId, error);
            }
          }),
        );
      } finally {
        await endpoint?.close();
        endpoint = undefined;
      }
    },
  };
}
