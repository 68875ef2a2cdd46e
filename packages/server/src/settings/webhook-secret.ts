/**
 * What a webhook secret is (Standard Webhooks, symmetric): `whsec_` then the base64 of 24 to 64 bytes.
 * Here, so the settings can refuse a bad one at start-up; the signer reads its key through it too.
 */
const PREFIX = 'whsec_';
/** The spec's bounds on a symmetric secret. */
export const SECRET_BYTES = { min: 24, max: 64 } as const;

/**
 * The key bytes of a `whsec_…` secret, or what is wrong with it. The secret itself is never put in the
 * problem text.
 */
export function decodeWebhookSecret(
  secret: string,
): { ok: true; key: Buffer } | { ok: false; problem: string } {
  if (!secret.startsWith(PREFIX)) return { ok: false, problem: `a webhook secret starts with '${PREFIX}'` };
  const encoded = secret.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    return { ok: false, problem: `a webhook secret is '${PREFIX}' followed by base64` };
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < SECRET_BYTES.min || key.length > SECRET_BYTES.max) {
    return {
      ok: false,
      problem: `a webhook secret holds ${SECRET_BYTES.min} to ${SECRET_BYTES.max} bytes (got ${key.length}); make one with: node -e "console.log('whsec_' + crypto.randomBytes(32).toString('base64'))"`,
    };
  }
  return { ok: true, key };
}
