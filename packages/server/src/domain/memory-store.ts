/**
 * The embedded default store: every job in this process's memory, its state derived from its plan and
 * the time.
 */
import { decideCancel } from './cancel.js';
import type { KeyClaim } from './idempotency.js';
import { KeyTable } from './idempotency.js';
import type { CancelResult, JobListener, JobStore } from './store.js';
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import type { JobInput, JobResult, ModelSettings } from './plan.js';
import type { JobRecord } from './state.js';
import type { JobResource } from '../protocol/job-resource.js';
import { describeJob } from '../protocol/job-resource.js';
import { JOB_RESULTS, planJob } from './plan.js';
import { jobStateAt, nextChangeMs } from './state.js';
import type { Random } from './prng.js';
import { childSeed, createRandom } from './prng.js';
import { TimerQueue } from './timer-queue.js';

export interface InMemoryJobStoreOptions {
  readonly clock: Clock;
  readonly model: ModelSettings;
  /** Seed for job plans and ETA noise. */
  readonly seed: number;
  /** Shared timer heap; the store makes its own when absent. */
  readonly timers?: TimerQueue;
  /** @default `job_` followed by 12 random hex digits */
  readonly newId?: () => string;
}

const randomJobId = (): string => `job_${randomBytes(6).toString('hex')}`;

/**
 * The embedded default. A job's state is a pure function of its plan and the time; the store's one job
 * of scheduling is to wake at each job's next transition (one heap entry per live job, one clock timer in
 * all) and tell the job's subscribers.
 */
export class InMemoryJobStore implements JobStore {
  readonly #clock: Clock;
  readonly #model: ModelSettings;
  /** Job plans draw from their own generator, so reads (ETA noise) never change which jobs a seed makes. */
  readonly #planRandom: Random;
  readonly #noiseRandom: Random;
  readonly #timers: TimerQueue;
  readonly #newId: () => string;
  readonly #jobs = new Map<string, JobRecord>();
  readonly #listeners = new Map<string, Set<JobListener>>();
  readonly #scheduled = new Map<string, () => void>();
  readonly #keys = new KeyTable();
  #closed = false;

  constructor(options: InMemoryJobStoreOptions) {
    this.#clock = options.clock;
    this.#model = options.model;
    this.#planRandom = createRandom(options.seed);
    this.#noiseRandom = createRandom(options.seed ^ 0x9e3779b9);
    this.#timers = options.timers ?? new TimerQueue(options.clock);
    this.#newId = options.newId ?? randomJobId;
  }

  create(input: JobInput, claimedKey?: string): Promise<JobResource> {
    if (this.#closed) return Promise.reject(new Error('The job store is closed'));
    let id = this.#newId();
    while (this.#jobs.has(id)) id = this.#newId();
    const record: JobRecord = {
      id,
      input,
      createdAtMs: this.#clock.now(),
      plan: planJob(input, childSeed(this.#planRandom), this.#model),
    };
    this.#jobs.set(id, record);
    if (claimedKey !== undefined) this.#keys.complete(claimedKey, id, record.createdAtMs);
    this.#scheduleNext(record);
    return Promise.resolve(this.#describe(record));
  }

  claimKey(key: string, fingerprint: string): Promise<KeyClaim> {
    return Promise.resolve(this.#keys.claim(key, fingerprint, this.#clock.now()));
  }

  releaseKey(key: string): Promise<void> {
    this.#keys.release(key);
    return Promise.resolve();
  }

  get(id: string): Promise<JobResource | undefined> {
    return Promise.resolve(this.peek(id));
  }

  peek(id: string): JobResource | undefined {
    const record = this.#jobs.get(id);
    return record === undefined ? undefined : this.#describe(record);
  }

  cancel(id: string): Promise<CancelResult | undefined> {
    if (this.#closed) return Promise.reject(new Error('The job store is closed'));
    const record = this.#jobs.get(id);
    if (record === undefined) return Promise.resolve(undefined);
    const elapsedMs = Math.max(0, this.#clock.now() - record.createdAtMs);
    const outcome = decideCancel(record, elapsedMs);
    if (outcome !== 'canceled') return Promise.resolve({ outcome, job: this.#describe(record) });
    const canceled: JobRecord = { ...record, canceledAtMs: elapsedMs };
    this.#jobs.set(id, canceled);
    this.#scheduled.get(id)?.();
    this.#scheduled.delete(id);
    this.#notify(canceled);
    return Promise.resolve({ outcome, job: this.#describe(canceled) });
  }

  getMany(ids: readonly string[]): Promise<(JobResource | undefined)[]> {
    return Promise.resolve(
      ids.map((id) => {
        const record = this.#jobs.get(id);
        return record === undefined ? undefined : this.#describe(record);
      }),
    );
  }

  list(options: { result?: JobResult; limit?: number } = {}): Promise<JobResource[]> {
    const all = [...this.#jobs.values()].reverse().map((r) => this.#describe(r));
    const filtered = options.result === undefined ? all : all.filter((j) => j.result === options.result);
    return Promise.resolve(filtered.slice(0, options.limit ?? filtered.length));
  }

  countByResult(): Promise<Record<JobResult, number>> {
    const counts = Object.fromEntries(JOB_RESULTS.map((r) => [r, 0])) as Record<JobResult, number>;
    const now = this.#clock.now();
    for (const record of this.#jobs.values()) counts[jobStateAt(record, now - record.createdAtMs).result]++;
    return Promise.resolve(counts);
  }

  subscribe(id: string, listener: JobListener): () => void {
    let set = this.#listeners.get(id);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(id, set);
    }
    set.add(listener);
    return () => {
      const current = this.#listeners.get(id);
      current?.delete(listener);
      if (current?.size === 0) this.#listeners.delete(id);
    };
  }

  /** Number of live subscriptions, so tests can prove waiters clean up. */
  get subscriptionCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#scheduled.values()) cancel();
    this.#scheduled.clear();
    this.#listeners.clear();
    return Promise.resolve();
  }

  #describe(record: JobRecord): JobResource {
    return describeJob(record, this.#clock.now(), this.#noiseRandom() * 2 - 1);
  }

  #scheduleNext(record: JobRecord): void {
    const next = nextChangeMs(record, this.#clock.now() - record.createdAtMs);
    if (next === undefined) {
      this.#scheduled.delete(record.id);
      return;
    }
    this.#scheduled.set(
      record.id,
      this.#timers.at(record.createdAtMs + next, () => {
        this.#notify(record);
        this.#scheduleNext(record);
      }),
    );
  }

  #notify(record: JobRecord): void {
    const listeners = this.#listeners.get(record.id);
    if (listeners === undefined) return;
    const job = this.#describe(record);
    // Copy: a listener may unsubscribe (or subscribe others) while being told.
    for (const listener of [...listeners]) listener(job);
  }
}
