/**
 * Optional API-key authentication: which key a request presents, whether it is one of ours (compared in
 * constant time over SHA-256 digests, so neither the content nor the length of a key leaks through
 * timing), and the identity limits are counted under.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

type HeaderValue = string | string[] | undefined;

const first = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The key in `Authorization: Bearer <key>` (what the client sends), else in `X-API-Key`. */
export function presentedKey(authorization: HeaderValue, apiKeyHeader: HeaderValue): string | undefined {
  const auth = first(authorization)?.trim();
  if (auth !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (match?.[1] !== undefined) return match[1];
  }
  const key = first(apiKeyHeader)?.trim();
  return key === undefined || key === '' ? undefined : key;
}

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** A checker over the configured keys: true when `key` is one of them. */
export function createKeyChecker(keys: readonly string[]): (key: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (key) => {
    if (key === undefined) return false;
    const presented = digest(key);
    let found = false;
    // Compare against every key, without stopping early, so the position of a match does not show.
    for (const known of digests) found = timingSafeEqual(presented, known) || found;
    return found;
  };
}

/**
 * Who a request counts as for per-client limits: a short digest of its key (never the key itself, which
 * could end up in a log or a metric) when it has one, else its address.
 */
export function clientIdentity(key: string | undefined, address: string): string {
  return key === undefined ? `addr:${address}` : `key:${digest(key).toString('hex').slice(0, 16)}`;
}
