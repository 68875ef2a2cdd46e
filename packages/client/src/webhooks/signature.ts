/**
 * The Standard Webhooks symmetric scheme, with WebCrypto only (Node, browsers, workers, edge runtimes):
 * HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, base64, sent as `v1,<signature>`, several
 * space-separated for secret rotation; secrets are `whsec_` + base64.
 */
import { ConfigurationError } from '../errors/index.js';

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';
const encoder = new TextEncoder();

/** Base64 (standard alphabet, padding optional) to bytes; undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined; // a length atob cannot decode
  }
}

/** The HMAC key bytes of a `whsec_…` secret (the prefix is optional, as in the reference library). */
export function decodeSecret(secret: unknown, option: string): Uint8Array<ArrayBuffer> {
  const expected = "a secret as 'whsec_' followed by base64 (the server's --webhook-secret)";
  if (typeof secret !== 'string') throw new ConfigurationError({ option, value: secret, expected });
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = decodeBase64(encoded);
  // The value is a secret: name the option but never echo it.
  if (key === undefined || key.length === 0) {
    throw new ConfigurationError({ option, value: '[hidden]', expected });
  }
  return key;
}

/** Validates one secret or a list (a receiver may accept several during a rotation): their key bytes. */
export function decodeSecrets(secrets: unknown, option: string): Uint8Array<ArrayBuffer>[] {
  if (!Array.isArray(secrets)) return [decodeSecret(secrets, option)];
  if (secrets.length === 0) {
    throw new ConfigurationError({ option, value: secrets, expected: 'at least one secret' });
  }
  return secrets.map((secret: unknown, index) => decodeSecret(secret, `${option}[${index}]`));
}

/** Imports key bytes for HMAC-SHA256 signing. */
export function importKeys(keys: readonly Uint8Array<ArrayBuffer>[]): Promise<CryptoKey[]> {
  return Promise.all(
    keys.map((key) =>
      crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    ),
  );
}

/** The bytes that are signed: `{id}.{timestamp}.` then the body exactly as received. */
export function signedContent(
  webhookId: string,
  timestamp: string,
  body: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${webhookId}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
}

/** The signatures a `webhook-signature` header carries for our scheme; other versions (`v1a`) are skipped. */
export function parseSignatureHeader(header: string): Uint8Array[] {
  const signatures: Uint8Array[] = [];
  for (const entry of header.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const bytes = decodeBase64(entry.slice(comma + 1));
    if (bytes !== undefined) signatures.push(bytes);
  }
  return signatures;
}

/** Compares in time that depends only on the lengths (which are public: 32 bytes for SHA-256). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

/**
 * Whether any of `signatures` is the HMAC of `content` under any of `keys`. Every pair is compared,
 * so the time taken does not say which key or which signature matched.
 */
export async function anySignatureMatches(
  keys: readonly CryptoKey[],
  content: Uint8Array<ArrayBuffer>,
  signatures: readonly Uint8Array[],
): Promise<boolean> {
  const expected = await Promise.all(
    keys.map(async (key) => new Uint8Array(await crypto.subtle.sign('HMAC', key, content))),
  );
  let matched = false;
  for (const mac of expected) {
    for (const signature of signatures) if (timingSafeEqual(mac, signature)) matched = true;
  }
  return matched;
}
