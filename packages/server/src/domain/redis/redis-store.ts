/**
 * A JobStore in Redis, shared by any number of server instances. What a job is (input, plan, creation
 * and cancellation times) is written once by a Lua script; its state is derived from those and Redis's
 * own clock on every read, exactly as the in-memory store derives it from its clock. So there is nothing
 * to fire when a stage changes, no instance owns a job, and every instance answers the same version.
 * Changes time does not explain (a cancellation) are announced on one pub/sub channel.
 */
import { randomBytes } from 'node:crypto';
import type { JobResource } from '../../protocol/job-resource.js';
import { describeJob } from '../../protocol/job-resource.js';
import type { JobInput, JobResult, ModelSettings } from '../plan.js';
import { planJob } from '../plan.js';
import type { Random } from '../prng.js';
import { childSeed, createRandom } from '../prng.js';
import { nextChangeMs } from '../state.js';
import type { CancelOutcome } from '../cancel.js';
import type { CancelResult, JobListener, JobStore } from '../store.js';
import type { TimerQueue } from '../timer-queue.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { ReadJob } from './codec.js';
import { decodeRead, decodeRecord, encodeRecord, msField, redisTimeMs, withCancel } from './codec.js';
import type { RedisConnectionOptions } from './connection.js';
import { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';
import { redisKeys } from './keys.js';
import type { KeyClaim } from '../idempotency.js';
import { IDEMPOTENCY_TTL_MS } from '../idempotency.js';
import { claimKey, releaseKey } from './key-claims.js';
import { ReadBatch } from './read-batch.js';
import { RecordCache } from './record-cache.js';
import { CANCEL, COUNT, CREATE, READ } from './scripts.js';
import type { Observation } from './watches.js';
import { JobWatches } from './watches.js';

export interface RedisJobStoreOptions extends RedisConnectionOptions {
  readonly model: ModelSettings;
  /** Seed of job plans: the nth job created through any instance has the same plan for a seed. */
  readonly seed: number;
  /** The app's timer heap: watched jobs are re-read from it. */
  readonly timers: TimerQueue;
  /** How long a finished job is kept. @default 7 days */
  readonly retentionMs?: number;
  /** Prefix of every key and channel. @default 'translation-status:' */
  readonly keyPrefix?: string;
  /** @default `job_` followed by 12 random hex digits */
  readonly newId?: () => string;
}

/** Finished jobs are kept a week. */
export const DEFAULT_RETENTION_MS = 7 * 86_400_000;
/** A drawn id that is already taken is drawn again, this many times in all. */
const ID_ATTEMPTS = 5;
/** Digits of the sequence number in members of the `created` set (2^53 has 16). */
const SEQUENCE_DIGITS = 16;
/** Jobs read per round trip while listing. */
const LIST_PAGE = 100;

const randomJobId = (): string => `job_${randomBytes(6).toString('hex')}`;

/** The plan seed of the nth job created under `seed`. */
export function planSeed(seed: number, n: number): number {
  return childSeed(createRandom((seed ^ Math.imul(n, 0x9e3779b1)) >>> 0));
}

/** A key the job is recorded under: one the caller claimed, or one that makes at most one job. */
interface Once {
  readonly mode: 'claimed' | 'once';
  readonly key: string;
  readonly fingerprint: string;
  /** 0 = kept as long as its job. */
  readonly ttlMs: number;
}

type CreateStatus = 'created' | 'existing' | 'taken';

interface Inserted {
  readonly status: Exclude<CreateStatus, 'taken'>;
  readonly job: JobResource;
}

export class RedisJobStore implements JobStore {
  readonly #connection: RedisConnection;
  readonly #keys: RedisKeys;
  readonly #model: ModelSettings;
  readonly #seed: number;
  readonly #retentionMs: number;
  readonly #newId: () => string;
  readonly #noise: Random;
  /** Records kept parsed (they never change), so a read fetches only a known job's times. */
  readonly #records = new RecordCache();
  readonly #watches: JobWatches;
  readonly #reads = new ReadBatch<ReadJob>((ids) => this.#read(ids));
  #closed = false;

  private constructor(options: RedisJobStoreOptions, connection: RedisConnection) {
    this.#connection = connection;
    this.#keys = redisKeys(options.keyPrefix);
    this.#model = options.model;
    this.#seed = options.seed;
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#newId = options.newId ?? randomJobId;
    this.#noise = createRandom(options.seed ^ 0x9e3779b9);
    this.#watches = new JobWatches((id) => this.#observe(id), options.timers);
    // Announcements sent while this instance was cut off are lost: read every watched job again.
    connection.onAvailability((available) => {
      if (available) this.#watches.refreshAll();
    });
  }

  /** Connects to Redis (rejecting with a clear message when it cannot) and listens for changes. */
  static async connect(options: RedisJobStoreOptions): Promise<RedisJobStore> {
    const connection = new RedisConnection(options);
    await connection.connect();
    const store = new RedisJobStore(options, connection);
    try {
      await connection.listen(store.#keys.changes, (id) => {
        store.#watches.refresh(id);
      });
    } catch (error) {
      await connection.close();
      throw error;
    }
    return store;
  }

  /** The connection, keys and retention, for what else keeps its state beside the jobs (webhooks). */
  get shared(): {
    readonly connection: RedisConnection;
    readonly keys: RedisKeys;
    readonly retentionMs: number;
  } {
    return { connection: this.#connection, keys: this.#keys, retentionMs: this.#retentionMs };
  }

  /** Whether Redis can be used now (for readiness checks). */
  get available(): boolean {
    return this.#connection.available;
  }

  /** Calls `listener` on each change of `available`. Returns the unsubscribe function. */
  onAvailability(listener: (available: boolean) => void): () => void {
    return this.#connection.onAvailability(listener);
  }

  /** With `claimedKey` (claimed by `claimKey`), the job is recorded under that key as it is made. */
  async create(input: JobInput, claimedKey?: string): Promise<JobResource> {
    const once: Once | undefined =
      claimedKey === undefined
        ? undefined
        : {
            mode: 'claimed',
            key: this.#keys.idempotency(claimedKey),
            fingerprint: '',
            ttlMs: IDEMPOTENCY_TTL_MS,
          };
    return (await this.#insert(input, once)).job;
  }

  claimKey(key: string, fingerprint: string): Promise<KeyClaim> {
    return claimKey(this.#connection, this.#keys, key, fingerprint);
  }

  releaseKey(key: string): Promise<void> {
    return releaseKey(this.#connection, this.#keys, key);
  }

  /**
   * The job `GET /status` answers, shared by every instance: the first instance to start makes it, the
   * others (and later restarts) answer the same one until it expires.
   */
  async createDefault(input: JobInput): Promise<JobResource> {
    return (
      await this.#insert(input, {
        mode: 'once',
        key: this.#keys.defaultJob,
        fingerprint: 'default',
        ttlMs: 0,
      })
    ).job;
  }

  /** Writes a new job, or finds the one `once.key` already names. */
  async #insert(input: JobInput, once: Once | undefined): Promise<Inserted> {
    if (this.#closed) throw new Error('The job store is closed');
    const n = Number(await this.#connection.send(['INCR', this.#keys.sequence]));
    const plan = planJob(input, planSeed(this.#seed, n), this.#model);
    const json = encodeRecord(input, plan);
    const terminalAtMs = plan.transitions.at(-1)?.atMs ?? 0;
    const outcomeSet = plan.error === undefined ? this.#keys.endsCompleted : this.#keys.endsError;
    const keys = this.#keys;
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = this.#newId();
      const reply = (await this.#connection.run(
        CREATE,
        [
          keys.job(id),
          outcomeSet,
          keys.endsCompleted,
          keys.endsError,
          keys.created,
          once?.key ?? keys.job(id),
        ],
        [
          id,
          json,
          String(terminalAtMs),
          String(this.#retentionMs),
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
      this.#records.remember(record);
      return { status, job: this.#describe({ record: withCancel(record, reply[6]), nowMs }) };
    }
    throw new Error(`Could not draw an unused job id in ${ID_ATTEMPTS} attempts`);
  }

  async get(id: string): Promise<JobResource | undefined> {
    const job = await this.#reads.read(id);
    return job === undefined ? undefined : this.#describe(job);
  }

  async getMany(ids: readonly string[]): Promise<(JobResource | undefined)[]> {
    const jobs = await Promise.all(ids.map((id) => this.#reads.read(id)));
    return jobs.map((job) => (job === undefined ? undefined : this.#describe(job)));
  }

  /**
   * Cancels a pending job: the check and the write are one script (Redis's clock decides whether the
   * job had already ended, as `decideCancel` would), and every instance is told on the changes channel.
   */
  async cancel(id: string): Promise<CancelResult | undefined> {
    if (this.#closed) throw new Error('The job store is closed');
    const keys = this.#keys;
    const reply = (await this.#connection.run(
      CANCEL,
      [keys.job(id), keys.endsCompleted, keys.endsError],
      [id, String(this.#retentionMs), keys.changes],
    )) as unknown[];
    const status = reply[0] as CancelOutcome | 'missing';
    if (status === 'missing') return undefined;
    const createdAtMs = msField(reply[5], `the creation time of job ${id}`);
    const record = withCancel(decodeRecord(id, reply[4], createdAtMs), reply[6]);
    // This instance's own waiters need not wait for the announcement to come back.
    if (status === 'canceled') this.#watches.refresh(id);
    return { outcome: status, job: this.#describe({ record, nowMs: redisTimeMs(reply[1], reply[2]) }) };
  }

  async list(options: { result?: JobResult; limit?: number } = {}): Promise<JobResource[]> {
    const limit = options.limit ?? Infinity;
    const found: JobResource[] = [];
    for (let offset = 0; found.length < limit; offset += LIST_PAGE) {
      const members = (await this.#connection.send([
        'ZRANGE',
        this.#keys.created,
        '+inf',
        '-inf',
        'BYSCORE',
        'REV',
        'LIMIT',
        String(offset),
        String(LIST_PAGE),
      ])) as string[];
      const ids = members.map((member) => member.slice(member.indexOf(':') + 1));
      for (const job of await this.getMany(ids)) {
        if (job !== undefined && (options.result === undefined || job.result === options.result))
          found.push(job);
      }
      if (ids.length < LIST_PAGE) break;
    }
    return found.slice(0, limit);
  }

  async countByResult(): Promise<Record<JobResult, number>> {
    const reply = (await this.#connection.run(
      COUNT,
      [this.#keys.endsCompleted, this.#keys.endsError],
      [String(this.#retentionMs)],
    )) as number[];
    return { completed: Number(reply[0]), error: Number(reply[1]), pending: Number(reply[2]) };
  }

  subscribe(id: string, listener: JobListener): () => void {
    if (this.#closed) return () => undefined;
    return this.#watches.subscribe(id, listener);
  }

  get subscriptionCount(): number {
    return this.#watches.listenerCount;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watches.clear();
    await this.#connection.close();
  }

  /** Reads jobs with Redis's time; a record already known is not fetched again. */
  async #read(ids: readonly string[], useCache = true): Promise<(ReadJob | undefined)[]> {
    if (this.#closed) throw new StoreUnavailableError('The job store is closed');
    const known = ids.map((id) => (useCache ? this.#records.get(id) : undefined));
    const reply = (await this.#connection.run(
      READ,
      ids.map((id) => this.#keys.job(id)),
      known.map((record) => (record === undefined ? '' : String(record.createdAtMs))),
    )) as unknown[];
    const jobs = decodeRead(ids, known, reply);
    // A record left out because the cache had it, but evicted since: read again in full.
    if (jobs === undefined) return this.#read(ids, false);
    for (const [i, id] of ids.entries()) {
      const job = jobs[i];
      if (job === undefined) this.#records.forget(id);
      else this.#records.remember(job.record);
    }
    return jobs;
  }

  async #observe(id: string): Promise<Observation | undefined> {
    const job = await this.#reads.read(id);
    if (job === undefined) return undefined;
    const { record, nowMs } = job;
    const next = nextChangeMs(record, nowMs - record.createdAtMs);
    return {
      job: this.#describe(job),
      nextChangeInMs: next === undefined ? undefined : record.createdAtMs + next - nowMs,
    };
  }

  #describe(job: ReadJob): JobResource {
    return describeJob(job.record, job.nowMs, this.#noise() * 2 - 1);
  }
}
