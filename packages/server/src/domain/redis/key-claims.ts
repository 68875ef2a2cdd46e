/**
 * Idempotency keys in Redis: a create claims its key (atomically: free, in progress, used with another
 * body, or done with a job), makes its job under it, or gives the claim back if the create failed.
 */
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';
import { CLAIM_TTL_MS, type KeyClaim } from '../idempotency.js';
import { CLAIM, RELEASE } from './scripts.js';

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
