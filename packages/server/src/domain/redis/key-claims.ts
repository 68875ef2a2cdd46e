/**
 * Idempotency keys in Redis: a create claims its key (atomically: free, in progress, used with another
 * body, or done with a job), makes its job under it, or gives the claim back if the create failed.
 */
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';
import { CLAIM, RELEASE } from './scripts.js';

/** A key that made a job answers that job for this long. */
export const IDEMPOTENCY_TTL_MS = 86_400_000;
/** A claim whose create never came (its instance died) frees the key after this long. */
export const CLAIM_TTL_MS = 30_000;

export type KeyClaim =
  | { readonly status: 'claimed' }
  | { readonly status: 'in_progress' }
  | { readonly status: 'conflict' }
  | { readonly status: 'done'; readonly jobId: string };

export async function claimKey(
  connection: RedisConnection,
  keys: RedisKeys,
  key: string,
  fingerprint: string,
): Promise<KeyClaim> {
  const [status, jobId] = (await connection.run(
    CLAIM,
    [keys.idempotency(key)],
    [fingerprint, String(CLAIM_TTL_MS), keys.jobPrefix],
  )) as [KeyClaim['status'], string | null];
  return status === 'done' ? { status, jobId: String(jobId) } : { status };
}

export async function releaseKey(connection: RedisConnection, keys: RedisKeys, key: string): Promise<void> {
  await connection.run(RELEASE, [keys.idempotency(key)], []);
}
