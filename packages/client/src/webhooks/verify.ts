/**
 * `verifyWebhook`: checks a Standard Webhooks request (headers, timestamp, signature) and reads the job
 * event it carries. Verification needs the body exactly as received, so it takes bytes or a string,
 * never an object that was parsed and could serialise differently.
 */
import type { Clock } from '../common/clock.js';
import { ConfigurationError, WebhookVerificationError } from '../errors/index.js';
import { parseStatus, type JobStatus } from '../protocol/status.js';
import {
  anySignatureMatches,
  decodeSecrets,
  importKeys,
  parseSignatureHeader,
  signedContent,
} from './signature.js';

/** The event types a translation-status server sends. */
export const WEBHOOK_EVENT_TYPES = ['job.completed', 'job.failed', 'job.stage_changed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A verified job event. */
export interface WebhookEvent {
  /** `webhook-id`: the same for every retry of one event, so it is the key to dedupe on. */
  readonly webhookId: string;
  /** One of `WEBHOOK_EVENT_TYPES`; a newer server may add types, so expect others too. */
  readonly type: string;
  /** When the event happened (ISO 8601), not when it was delivered. */
  readonly timestamp: string;
  /** The job resource at the event (`data` on the wire), read like any status answer. */
  readonly job: JobStatus;
}

/** Request headers as the Fetch API (`Headers`) or Node's `http` (`IncomingHttpHeaders`) give them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookInput {
  /** The raw request body, exactly as received. */
  readonly body: string | Uint8Array | ArrayBuffer;
  readonly headers: WebhookHeaders;
  /** The signing secret (`whsec_…`), or several while one is being rotated out. */
  readonly secret: string | readonly string[];
  /**
   * How far `webhook-timestamp` may be from now, either way, in seconds: older requests are replays.
   * @default 300
   */
  readonly toleranceSeconds?: number;
  /** Where "now" comes from (tests). @default the system clock */
  readonly clock?: Pick<Clock, 'now'>;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Verifies one webhook request and returns its event; throws `WebhookVerificationError` (with a
 * `reason`) when a header is missing or malformed, no signature matches, the timestamp is outside the
 * tolerance, or the signed body is not a job event; `ConfigurationError` for a bad secret or tolerance.
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<WebhookEvent> {
  const keys = await importKeys(decodeSecrets(input.secret, 'secret'));
  return verifyWithKeys(keys, input);
}

/** `verifyWebhook` with the secrets already imported (a receiver imports them once). */
export async function verifyWithKeys(
  keys: readonly CryptoKey[],
  input: Omit<VerifyWebhookInput, 'secret'>,
): Promise<WebhookEvent> {
  const toleranceS = checkTolerance(input.toleranceSeconds);
  const webhookId = readHeader(input.headers, 'webhook-id', undefined);
  const timestamp = readHeader(input.headers, 'webhook-timestamp', webhookId);
  const signatureHeader = readHeader(input.headers, 'webhook-signature', webhookId);
  checkTimestamp(timestamp, toleranceS, (input.clock ?? Date).now(), webhookId);
  const signatures = parseSignatureHeader(signatureHeader);
  if (signatures.length === 0) {
    throw new WebhookVerificationError({
      reason: 'invalid_header',
      problem: "webhook-signature has no 'v1,<base64>' signature",
      webhookId,
    });
  }
  const body = toBytes(input.body);
  if (!(await anySignatureMatches(keys, signedContent(webhookId, timestamp, body), signatures))) {
    const count =
      signatures.length === 1 ? 'the signature does' : `none of the ${signatures.length} signatures do`;
    throw new WebhookVerificationError({
      reason: 'bad_signature',
      problem: `${count} not match the body under the ${keys.length === 1 ? 'secret' : `${keys.length} secrets`} given`,
      webhookId,
    });
  }
  return readEvent(body, webhookId);
}

function checkTolerance(value: number | undefined): number {
  if (value === undefined) return DEFAULT_TOLERANCE_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigurationError({
      option: 'toleranceSeconds',
      value,
      expected: 'a number of seconds, 0 or more',
    });
  }
  return value;
}

function readHeader(headers: WebhookHeaders, name: string, webhookId: string | undefined): string {
  const value = headerValue(headers, name);
  if (value === undefined || value === '') {
    throw new WebhookVerificationError({
      reason: 'missing_header',
      problem: `the ${name} header is missing`,
      webhookId,
    });
  }
  return value;
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    // Node joins repeated unknown headers with ", "; a list here means the caller split them.
    return typeof value === 'string' ? value : value?.join(', ');
  }
  return undefined;
}

function checkTimestamp(timestamp: string, toleranceS: number, nowMs: number, webhookId: string): void {
  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new WebhookVerificationError({
      reason: 'invalid_header',
      problem: `webhook-timestamp '${timestamp.slice(0, 40)}' is not whole Unix seconds`,
      webhookId,
    });
  }
  const ageS = Math.floor(nowMs / 1000) - Number(timestamp);
  if (ageS > toleranceS) {
    throw new WebhookVerificationError({
      reason: 'stale_timestamp',
      problem: `webhook-timestamp is ${ageS} s old (tolerance ${toleranceS} s)`,
      webhookId,
    });
  }
  if (-ageS > toleranceS) {
    throw new WebhookVerificationError({
      reason: 'future_timestamp',
      problem: `webhook-timestamp is ${-ageS} s in the future (tolerance ${toleranceS} s)`,
      webhookId,
    });
  }
}

function toBytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

function readEvent(body: Uint8Array, webhookId: string): WebhookEvent {
  const malformed = (problem: string, cause?: unknown): WebhookVerificationError =>
    new WebhookVerificationError({ reason: 'malformed_body', problem, webhookId, cause });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw malformed('the body is not UTF-8 JSON', error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed('the body is not a JSON object');
  }
  const { type, timestamp, data } = parsed as Record<string, unknown>;
  if (typeof type !== 'string' || type === '') throw malformed("the body has no string 'type'");
  if (typeof timestamp !== 'string') throw malformed("the body has no string 'timestamp'");
  const job = parseStatus(data);
  if (!job.ok) throw malformed(`'data' is not a job resource: ${job.problem}`);
  return { webhookId, type, timestamp, job: job.status };
}
