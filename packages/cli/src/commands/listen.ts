/**
 * `translation-status listen`: a webhook receiver on this machine. Prints each verified event as it
 * arrives, and a line saying why for each request it refuses, so a callback_url can be tried by hand.
 */
import {
  createWebhookReceiver,
  type WebhookEvent,
  type WebhookVerificationError,
} from '@translation-status/client';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { numberFlag, textFlag } from '../args/flags.js';
import { defineCommand } from '../command.js';
import { EXIT } from '../runtime/exit-codes.js';
import { nextSignal } from '../runtime/next-signal.js';
import { eventLine } from '../output/events.js';
import type { CliIo } from '../output/io.js';
import { JSON_FLAG } from './shared-flags.js';

export interface ListenArgs {
  readonly port: number;
  readonly host: string;
  /** Never printed. */
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  /** Stop after this many verified events; undefined: until a signal. */
  readonly count: number | undefined;
  readonly json: boolean;
}

function webhookLine(event: WebhookEvent, json: boolean, elapsedMs: number): string {
  const { job } = event;
  if (json) {
    const body = {
      event: 'webhook',
      webhook_id: event.webhookId,
      type: event.type,
      timestamp: event.timestamp,
      data: job.body,
    } as const;
    return eventLine(body, job.jobId, elapsedMs);
  }
  const progress = job.progress === undefined ? undefined : `${Math.floor(job.progress * 100)}%`;
  const error = job.error === undefined ? undefined : `${job.error.code}: ${job.error.message}`;
  const parts = [event.type, job.jobId, job.result, job.stage, progress, error, `(${event.webhookId})`];
  return `${parts.filter((part) => part !== undefined).join('  ')}\n`;
}

function rejectionLine(error: WebhookVerificationError, io: CliIo, json: boolean, elapsedMs: number): void {
  if (json) {
    io.stdout.write(
      eventLine({ event: 'rejected', reason: error.reason, message: error.message }, null, elapsedMs),
    );
  } else {
    io.stderr.write(`rejected (${error.reason}): ${error.message}\n`);
  }
}

export const listenCommand = defineCommand({
  name: 'listen',
  summary: 'receive webhooks: print each verified job event as it arrives',
  description: `Runs a webhook receiver (Standard Webhooks) until Ctrl-C or SIGTERM: POST to it, e.g. as a job's
--callback-url. Each verified event is printed on a line (with --json, one JSON object); a request that
fails verification gets a 4xx and a line on stderr saying why (with --json, a JSON line on stdout).
A redelivered webhook-id is acknowledged and not printed again.`,
  positionals: [],
  flags: {
    port: numberFlag({
      metavar: 'N',
      help: 'TCP port (0 picks a free one)',
      default: 8080,
      min: 0,
      max: 65535,
      integer: true,
    }),
    host: textFlag({ metavar: 'HOST', help: 'interface to listen on', default: '127.0.0.1' }),
    secret: textFlag({
      metavar: 'SECRET',
      help: "the server's whsec_ secret (comma-separated for several), never printed",
      env: 'TRANSLATION_STATUS_WEBHOOK_SECRET',
      required: true,
      secret: true,
    }),
    tolerance: numberFlag({
      metavar: 'SECONDS',
      help: 'how far webhook-timestamp may be from now',
      default: 300,
      min: 0,
      integer: true,
    }),
    count: numberFlag({ metavar: 'N', help: 'exit after N verified events', min: 1, integer: true }),
    ...JSON_FLAG,
  },
  exits: {
    [EXIT.ok]: 'stopped by SIGINT or SIGTERM, or after --count events',
    [EXIT.usage]: 'usage error (a secret that is not whsec_ and base64, for one)',
    [EXIT.error]: 'could not listen (e.g. the port is taken)',
  },
  build: ({ values }): ListenArgs => ({
    port: values.port,
    host: values.host,
    secrets: values.secret.split(',').map((secret) => secret.trim()),
    toleranceSeconds: values.tolerance,
    count: values.count,
    json: values.json,
  }),
  async run(args, io) {
    const startedAt = Date.now();
    const enough = new AbortController();
    let printed = 0;
    const receiver = createWebhookReceiver({
      secret: args.secrets,
      toleranceSeconds: args.toleranceSeconds,
      onEvent: (event) => {
        if (enough.signal.aborted) return;
        io.stdout.write(webhookLine(event, args.json, Date.now() - startedAt));
        printed += 1;
        if (printed === args.count) enough.abort();
      },
      onReject: (error) => {
        rejectionLine(error, io, args.json, Date.now() - startedAt);
      },
    });
    const server = createServer((request, response) => {
      receiver.node(request, response);
    });
    server.listen(args.port, args.host);
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([error]) => Promise.reject(error as Error)),
    ]);
    const { port } = server.address() as AddressInfo;
    const host = args.host.includes(':') ? `[${args.host}]` : args.host;
    io.stdout.write(
      args.json
        ? eventLine({ event: 'listening', url: `http://${host}:${port}` }, null, Date.now() - startedAt)
        : `listening on http://${host}:${port}\n`,
    );
    await nextSignal(enough.signal);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    return EXIT.ok;
  },
});
