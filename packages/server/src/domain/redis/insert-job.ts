/**
 * Writing a new job to Redis: its sequence number (which seeds its plan, so the nth job has the same plan
 * whichever instance makes it), an unused id, and the record, written once by one script together with
 * the key it may be made under (an idempotency key, or the default job's).
 */
import type { JobInput, ModelSettings } from '../plan.js';
import { planJob } from '../plan.js';
import { childSeed, createRandom } from '../prng.js';
import type { ReadJob } from './codec.js';
import { decodeRecord, encodeRecord, msField, redisTimeMs, withCancel } from './codec.js';
import type { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RecordCache } from './record-cache.js';
import { CREATE } from './scripts.js';

/** A drawn id that is already taken is drawn again, this many times in all. */
const ID_ATTEMPTS = 5;
/** Digits of the sequence number in members of the `created` set (2^53 has 16). */
const SEQUENCE_DIGITS = 16;

/** The plan seed of the nth job created under `seed`. */
export function planSeed(seed: number, n: number): number {
  return childSeed(createRandom((seed ^ Math.imul(n, 0x9e3779b1)) >>> 0));
}

/** A key the job is recorded under: one the caller claimed, or one that makes at most one job. */
export interface Once {
  readonly mode: 'claimed' | 'once';
  readonly key: string;
  readonly fingerprint: string;
  /** 0 = kept as long as its job. */
  readonly ttlMs: number;
}

type CreateStatus = 'created' | 'existing' | 'taken';

/** The job made (or the one `once.key` already named), read with Redis's time. */
export interface Inserted {
  readonly status: Exclude<CreateStatus, 'taken'>;
  readonly job: ReadJob;
}

/** What inserting needs of the store. */
export interface InsertContext {
  readonly connection: RedisConnection;
  readonly keys: RedisKeys;
  readonly model: ModelSettings;
  readonly seed: number;
  readonly retentionMs: number;
  readonly newId: () => string;
  /** The record made or found is remembered here (records never change). */
  readonly records: RecordCache;
}

/** Writes a new job, or finds the one `once.key` already names. */
export async function insertJob(
  ctx: InsertContext,
  input: JobInput,
  once: Once | undefined,
): Promise<Inserted> {
  const { connection, keys } = ctx;
  const n = Number(await connection.send(['INCR', keys.sequence]));
  const plan = planJob(input, planSeed(ctx.seed, n), ctx.model);
  const json = encodeRecord(input, plan);
  const terminalAtMs = plan.transitions.at(-1)?.atMs ?? 0;
  const outcomeSet = plan.error === undefined ? keys.endsCompleted : keys.endsError;
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const id = ctx.newId();
    const reply = (await connection.run(
      CREATE,
      [keys.job(id), outcomeSet, keys.endsCompleted, keys.endsError, keys.created, once?.key ?? keys.job(id)],
      [
        id,
        json,
        String(terminalAtMs),
        String(ctx.retentionMs),
        once?.mode ?? 'none',
        String(once?.ttlMs ?? 0),
        keys.jobPrefix,
        once?.fingerprint ?? '',
        `${String(n).padStart(SEQUENCE_DIGITS, '0')}:${id}`,
      ],
    )) as unknown[];
    const status = reply[0] as CreateStatus;
    if (status === 'taken') continue;
    const nowMs = redisTimeMs(reply[1], reply[2]);
    const jobId = String(reply[3]);
    const createdAtMs = msField(reply[5], `the creation time of job ${jobId}`);
    const record =
      status === 'created' ? { id, input, plan, createdAtMs } : decodeRecord(jobId, reply[4], createdAtMs);
    ctx.records.remember(record);
    return { status, job: { record: withCancel(record, reply[6]), nowMs } };
  }
  throw new Error(`Could not draw an unused job id in ${ID_ATTEMPTS} attempts`);
}
