import { TranslationStatusError } from './translation-status-error.js';

/** What a webhook receiver found wrong with a request, one value per thing to fix. */
export type WebhookRejection =
  | 'missing_header'
  | 'invalid_header'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'malformed_body'
  | 'body_too_large';

export interface WebhookVerificationErrorFields {
  readonly reason: WebhookRejection;
  /** What exactly was wrong, e.g. "webhook-timestamp is 412 s old (tolerance 300 s)". */
  readonly problem: string;
  /** The `webhook-id` of the request, when it had one. */
  readonly webhookId?: string | undefined;
  readonly cause?: unknown;
}

const ADVICE: Readonly<Record<WebhookRejection, string>> = {
  missing_header: 'Standard Webhooks requests carry webhook-id, webhook-timestamp and webhook-signature.',
  invalid_header: 'Standard Webhooks requests carry webhook-id, webhook-timestamp and webhook-signature.',
  bad_signature:
    'Check that the secret is the one the server signs with, and that the body is passed exactly as received, not parsed and serialised again.',
  stale_timestamp: 'A replayed request, or a clock far off: check this machine’s clock.',
  future_timestamp: 'Check this machine’s clock.',
  malformed_body: 'The signature is valid, so the sender is trusted but its body is not a job event.',
  body_too_large: 'Job events are small; raise maxBodyBytes only if the sender needs it.',
};

/**
 * A webhook request failed verification: thrown by `verifyWebhook` (and answered with a 4xx by the
 * receivers). `reason` says which check failed; the message never contains the secret.
 */
export class WebhookVerificationError extends TranslationStatusError {
  override readonly name = 'WebhookVerificationError';
  declare readonly reason: WebhookRejection;
  declare readonly problem: string;
  declare readonly webhookId: string | undefined;

  constructor(fields: WebhookVerificationErrorFields) {
    const id = fields.webhookId === undefined ? '' : ` (webhook-id '${fields.webhookId}')`;
    super(
      'webhook_verification_failed',
      `The webhook was rejected${id}: ${fields.problem}`,
      fields,
      ADVICE[fields.reason],
    );
  }
}
