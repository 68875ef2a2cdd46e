/**
 * Standard Webhooks signing: HMAC-SHA256 over `{id}.{timestamp}.{body}` with each `whsec_` secret,
 * base64, as a space-separated `v1,<signature>` list (several secrets during a rotation).
 */
import { createHmac } from 'node:crypto';
import { decodeWebhookSecret } from '../settings/webhook-secret.js';

/** The key of a secret the settings have already checked. */
export function webhookKey(secret: string): Buffer {
  const decoded = decodeWebhookSecret(secret);
  if (!decoded.ok) throw new Error(decoded.problem);
  return decoded.key;
}

/** The `webhook-signature` header for one attempt: one `v1,` signature per key. */
export function signatureHeader(
  keys: readonly Buffer[],
  webhookId: string,
  timestampS: number,
  body: string,
): string {
  const content = `${webhookId}.${timestampS}.${body}`;
  return keys.map((key) => `v1,${createHmac('sha256', key).update(content).digest('base64')}`).join(' ');
}
