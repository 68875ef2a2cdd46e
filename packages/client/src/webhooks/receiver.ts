/**
 * A webhook endpoint in a few lines, for the Fetch API (`receiver.fetch`: Deno, Bun, workers, Hono,
 * Next.js) and Node's `http` (`http.createServer(receiver.node)`). Each request is verified, deduped on
 * `webhook-id` and answered at once; handlers run after the answer, so a slow one never makes the
 * sender time out and retry.
 */
import type { Clock } from '../common/clock.js';
import { ConfigurationError, WebhookVerificationError } from '../errors/index.js';
import type { JobStatus } from '../protocol/status.js';
import { readLimited, streamChunks } from './body.js';
import { endWaitByWebhook } from './end-wait.js';
import { BoundedMap } from './bounded-map.js';
import { LatestEvents } from './latest-events.js';
import { SeenIds } from './seen-ids.js';
import { decodeSecrets, importKeys } from './signature.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  verifyWithKeys,
  type WebhookEvent,
  type WebhookHeaders,
} from './verify.js';
import type { WebhookWaiter } from './waiter.js';

export interface WebhookReceiverOptions {
  /** The signing secret (`whsec_…`), or several while one is being rotated out. */
  readonly secret: string | readonly string[];
  /** Seconds `webhook-timestamp` may be off, either way. @default 300 */
  readonly toleranceSeconds?: number;
  /** Called once per verified event (a redelivery is acknowledged but not passed on), after the answer. */
  readonly onEvent?: (event: WebhookEvent) => void | Promise<void>;
  /** Called for each rejected request, with what was wrong. @default ignored (the sender gets a 4xx) */
  readonly onReject?: (error: WebhookVerificationError) => void;
  /** Called when `onEvent` throws or rejects. @default console.error */
  readonly onError?: (error: unknown, event: WebhookEvent) => void;
  /** Largest body accepted; larger gets 413. @default 65536 */
  readonly maxBodyBytes?: number;
  /** How many webhook ids are remembered for deduplication (oldest forgotten first). @default 10000 */
  readonly rememberIds?: number;
  /** Where "now" comes from (tests). @default the system clock */
  readonly clock?: Pick<Clock, 'now'>;
  /**
   * This receiver's public URL (absolute http or https). Given, a client with `webhooks: receiver` sends
   * it as each new job's `callback_url`, and its waits on those jobs end when the webhook arrives.
   * @default none
   */
  readonly url?: string;
  /**
   * The safety net of a wait ended by webhook: one status read at 1.25 × the job's ETA, then one every
   * `safetyNetMs`, so a lost webhook costs lateness, never a hung wait.
   * @default 60000
   */
  readonly safetyNetMs?: number;
}

/** The part of Node's `IncomingMessage` a receiver reads. */
export interface NodeWebhookRequest extends AsyncIterable<Uint8Array> {
  readonly method?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** The part of Node's `ServerResponse` a receiver writes. */
export interface NodeWebhookResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

export interface WebhookReceiver extends WebhookWaiter {
  /** Fetch API handler: `(request) => Promise<Response>`. */
  fetch(request: Request): Promise<Response>;
  /** Node `http` handler: `http.createServer(receiver.node)`, or inside a route. */
  node(request: NodeWebhookRequest, response: NodeWebhookResponse): void;
  /**
   * Calls `listener` with the newest verified event already received for `jobId`, if any (so one that
   * arrived before the wait began counts), then with each new one. Returns the function that stops it.
   */
  subscribe(jobId: string, listener: (event: WebhookEvent) => void): () => void;
}

const RECEIVER_DEFAULTS = { maxBodyBytes: 65_536, rememberIds: 10_000, safetyNetMs: 60_000 } as const;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const STATUS_FOR: Readonly<Record<WebhookVerificationError['reason'], number>> = {
  missing_header: 400,
  invalid_header: 400,
  malformed_body: 400,
  body_too_large: 413,
  bad_signature: 401,
  stale_timestamp: 401,
  future_timestamp: 401,
};

/** Creates a receiver; the secret and limits are validated here, before any request. */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const keys = importKeys(decodeSecrets(options.secret, 'secret'));
  const maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes, RECEIVER_DEFAULTS.maxBodyBytes);
  const rememberIds = positiveInteger('rememberIds', options.rememberIds, RECEIVER_DEFAULTS.rememberIds);
  const seen = new SeenIds(rememberIds);
  const latest = new LatestEvents(rememberIds);
  /** Jobs created with `url` (their creation answers), as many as ids are remembered. */
  const expected = new BoundedMap<string, { readonly status: JobStatus; readonly at: number }>(rememberIds);
  const url = receiverUrl(options.url);
  const safetyNetMs = positiveInteger('safetyNetMs', options.safetyNetMs, RECEIVER_DEFAULTS.safetyNetMs);
  const listeners = new Map<string, Set<(event: WebhookEvent) => void>>();
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const clock = options.clock ?? Date;
  const onError =
    options.onError ??
    ((error: unknown) => {
      console.error('webhook handler failed:', error);
    });

  function deliver(event: WebhookEvent): void {
    const jobId = event.job.jobId;
    if (jobId !== undefined) {
      latest.record(jobId, event);
      for (const listener of [...(listeners.get(jobId) ?? [])]) listener(event);
    }
    const onEvent = options.onEvent;
    if (onEvent === undefined) return;
    queueMicrotask(() => {
      Promise.resolve()
        .then(() => onEvent(event))
        .catch((error: unknown) => {
          onError(error, event);
        });
    });
  }

  async function receive(
    method: string | undefined,
    headers: WebhookHeaders,
    read: () => Promise<Uint8Array>,
  ): Promise<Answer> {
    if (method !== undefined && method.toUpperCase() !== 'POST') {
      return {
        status: 405,
        body: { error: { code: 'method_not_allowed', message: 'Webhooks are POSTed.' } },
      };
    }
    try {
      const body = await read();
      const event = await verifyWithKeys(await keys, { body, headers, toleranceSeconds, clock });
      if (!seen.add(event.webhookId)) return { status: 200, body: { received: true, duplicate: true } };
      deliver(event);
      return { status: 200, body: { received: true } };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      options.onReject?.(error);
      return {
        status: STATUS_FOR[error.reason],
        body: { error: { code: error.reason, message: error.message } },
      };
    }
  }

  return {
    async fetch(request) {
      const answer = await receive(request.method, request.headers, () =>
        readLimited(streamChunks(request.body), maxBodyBytes),
      );
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    },
    node(request, response) {
      receive(request.method, request.headers, () => readLimited(request, maxBodyBytes)).then(
        (answer) => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          // An unread body stays on the socket: do not reuse the connection after a refusal.
          if (answer.status >= 400) headers['connection'] = 'close';
          response.writeHead(answer.status, headers);
          response.end(JSON.stringify(answer.body));
        },
        () => {
          // The body could not be read (the sender broke off): answer in case anyone still listens.
          response.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
          response.end(
            JSON.stringify({ error: { code: 'bad_request', message: 'The body could not be read.' } }),
          );
        },
      );
    },
    subscribe,
    url,
    expect(jobId, created, at) {
      expected.set(jobId, { status: created, at });
    },
    expects: (jobId) => expected.get(jobId) !== undefined,
    endWait(wait, signal) {
      const created = expected.get(wait.jobId);
      const known = () => wait.known() ?? created;
      return endWaitByWebhook(subscribe, { ...wait, known }, safetyNetMs, signal);
    },
  };

  function subscribe(jobId: string, listener: (event: WebhookEvent) => void): () => void {
    let set = listeners.get(jobId);
    if (set === undefined) listeners.set(jobId, (set = new Set()));
    set.add(listener);
    const known = latest.get(jobId);
    if (known !== undefined) listener(known);
    return () => {
      set.delete(listener);
      if (set.size === 0) listeners.delete(jobId);
    };
  }
}

function receiverUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value) || !URL.canParse(value)) {
    throw new ConfigurationError({
      option: 'url',
      value,
      expected: "the receiver's absolute http(s):// URL",
    });
  }
  return value;
}

function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigurationError({ option, value, expected: 'a whole number, 1 or more' });
  }
  return value;
}
