/**
 * `POST /jobs`: the library's camelCase input in the protocol's snake_case, and the idempotency key that
 * makes a retried create safe.
 */

import type { WebhookEventType } from '../webhooks/verify.js';
import { isRecord } from './status.js';

/** What to translate. */
export interface CreateJobInput {
  /** BCP 47 language code of the video, e.g. `en`. */
  readonly sourceLanguage: string;
  /** BCP 47 language code to translate into, e.g. `es`. */
  readonly targetLanguage: string;
  /** Length of the video in seconds (> 0). */
  readonly videoDurationSeconds: number;
  /** Keep the speakers' lips in sync with the new voice. @default true (server side) */
  readonly lipSync?: boolean;
  /** Test and demo hooks understood by the simulated server. */
  readonly simulate?: {
    readonly durationMs?: number;
    readonly outcome?: 'completed' | 'error';
    readonly errorCode?: string;
  };
  /**
   * Where the server POSTs signed webhooks about this job (its host must be on the server's
   * allow-list). @default the client's `webhooks` receiver's `url`, if any
   */
  readonly callbackUrl?: string;
  /** Which events to send there. @default ['job.completed', 'job.failed'] (server side) */
  readonly callbackEvents?: readonly WebhookEventType[];
}

/** The input's keys in the protocol's snake_case (`videoDurationSeconds`: `video_duration_seconds`), nested too. */
function toWire(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      toWire(item),
    ]),
  );
}

/**
 * The JSON body that creates the job `input` describes (JSON leaves out the fields left undefined).
 * Every key of the input is one of `CreateJobInput`'s: the client checks that before it sends.
 */
export function createJobBody(input: CreateJobInput): string {
  return JSON.stringify(toWire(input));
}

/**
 * A fresh `Idempotency-Key`: 128 random bits as hex, from `crypto.getRandomValues` (which, unlike
 * `randomUUID`, browsers offer outside secure contexts too). One per `createJob` call, reused by its
 * retries, so a create whose answer was lost is answered by the job it made rather than a second one.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
