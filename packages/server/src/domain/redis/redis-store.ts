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
import type { Random } from '../prng.js';
import { createRandom } from '../prng.js';
import { nextChangeMs } from '../state.js';
import type { CancelOutcome } from '../cancel.js';
import type { CancelResult, JobListener, JobStore } from '../store.js';
import type { TimerQueue } from '../timer-queue.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { ReadJob } from './codec.js';
import { decodeRead, decodeRecord, msField, redisTimeMs, withCancel } from './codec.js';
import type { RedisConnectionOptions } from './connection.js';
import { RedisConnection } from './connection.js';
import type { RedisKeys } from './keys.js';
import { redisKeys } from './keys.js';
import type { KeyClaim } from '../idempotency.js';
import { IDEMPOTENCY_TTL_MS } from '../idempotency.js';
import { claimKey, releaseKey } from './key-claims.js';
import { ReadBatch } from './read-batch.js';
import { RecordCache } from './record-cache.js';
import { CANCEL, READ } from './scripts.js';
import type { InsertContext, Once } from './insert-job.js';
import { insertJob } from './insert-job.js';
import { countJobsByResult, listJobs } from './list-jobs.js';
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

const randomJobId = (): string => `job_${randomBytes(6).toString('hex')}`;

export class RedisJobStore implements JobStore {
  readonly #connection: RedisConnection;
  readonly #keys: RedisKeys;
  readonly #retentionMs: number;
  readonly #insertContext: InsertContext;
  readonly #noise: Random;
  /** Records kept parsed (they never change), so a read fetches only a known job's times. */
  readonly #records = new RecordCache();
  readonly #watches: JobWatches;
  readonly #reads = new ReadBatch<ReadJob>((ids) => this.#read(ids));
  #closed = false;

  private constructor(options: RedisJobStoreOptions, connection: RedisConnection) {
    this.#connection = connection;
    this.#keys = redisKeys(options.keyPrefix);
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#insertContext = {
      connection,
      keys: this.#keys,
      model: options.model,
      seed: options.seed,
      retentionMs: this.#retentionMs,
      newId: options.newId ?? randomJobId,
      records: this.#records,
    };
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
    return this.#insert(input, once);
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
    return this.#insert(input, {
      mode: 'once',
      key: this.#keys.defaultJob,
      fingerprint: 'default',
      ttlMs: 0,
    });
  }

  /** Writes a new job, or finds the one `once.key` already names. */
  async #insert(input: JobInput, once: Once | undefined): Promise<JobResource> {
    if (this.#closed) throw new Error('The job store is closed');
    return this.#describe((await insertJob(this.#insertContext, input, once)).job);
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

  list(options: { result?: JobResult; limit?: number } = {}): Promise<JobResource[]> {
    return listJobs(this.#connection, this.#keys, (ids) => this.getMany(ids), options);
  }

  countByResult(): Promise<Record<JobResult, number>> {
    return countJobsByResult(this.#connection, this.#keys, this.#retentionMs);
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
