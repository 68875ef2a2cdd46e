/**
 * The fingerprint of a request body, to tell "the same request again" from "another request under the
 * same Idempotency-Key": SHA-256 of its canonical JSON (object keys sorted at every level), so the
 * order a client writes fields in does not matter, and defaults filled in by validation count as sent.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys in sorted order at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function bodyFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
