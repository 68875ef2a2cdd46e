/**
 * Job storage behind an async interface, so a networked store (Redis, a database) can replace the
 * in-memory one without the routes noticing: routes only ever see `JobStore`.
 */
import type { JobResource } from '../protocol/job-resource.js';
import type { CancelOutcome } from './cancel.js';
import type { KeyClaim } from './idempotency.js';
import type { JobInput, JobResult } from './plan.js';

/** What `cancel` did (see `decideCancel`), and the job as it is afterwards. */
export interface CancelResult {
  readonly outcome: CancelOutcome;
  readonly job: JobResource;
}

/** Called with the job's new state after every change of its `result` or `stage`. */
export type JobListener = (job: JobResource) => void;

export interface JobStore {
  /**
   * Makes a job. With `claimedKey` (an idempotency key this request claimed with `claimKey`), the job is
   * recorded under that key in the same step, so the key answers it from then on.
   */
  create(input: JobInput, claimedKey?: string): Promise<JobResource>;
  /**
   * Claims an idempotency key for a request body's `fingerprint`, atomically: see `KeyClaim`. A claim
   * not completed by `create` within `CLAIM_TTL_MS` lapses.
   */
  claimKey(key: string, fingerprint: string): Promise<KeyClaim>;
  /** Gives back a claim whose create failed, so the key can be used again at once. */
  releaseKey(key: string): Promise<void>;
  /** The job as it is now, or undefined for an unknown id. */
  get(id: string): Promise<JobResource | undefined>;
  /**
   * `get` without a promise, for stores that answer from memory: the routes then serve a plain read
   * synchronously. A store behind a network leaves it out and is read through `get`.
   */
  peek?(id: string): JobResource | undefined;
  /**
   * Cancels a pending job, as `decideCancel` says: a canceled job is told to its subscribers like any
   * other change. Undefined for an unknown id.
   */
  cancel(id: string): Promise<CancelResult | undefined>;
  /** One entry per id, in order; undefined for unknown ids. */
  getMany(ids: readonly string[]): Promise<(JobResource | undefined)[]>;
  /** Jobs, newest first, optionally only those with one result. */
  list(options?: { result?: JobResult; limit?: number }): Promise<JobResource[]>;
  countByResult(): Promise<Record<JobResult, number>>;
  /** Listens for changes of one job. Returns the unsubscribe function. Never throws for unknown ids. */
  subscribe(id: string, listener: JobListener): () => void;
  /** Number of live local subscriptions (leak checks, metrics). */
  readonly subscriptionCount: number;
  /** Stops the scheduler and drops every listener. */
  close(): Promise<void>;
  /**
   * The job `GET /status` answers, for a store shared by many server instances: one for all of them
   * (and their restarts). Without it, each app makes its own with `create`.
   */
  createDefault?(input: JobInput): Promise<JobResource>;
  /**
   * Whether the store can answer now, for a store behind a network (false while its connection is
   * down: every call then rejects with StoreUnavailableError). Absent: always.
   */
  readonly available?: boolean;
  /** Calls `listener` on each change of `available`. Returns the unsubscribe function. */
  onAvailability?(listener: (available: boolean) => void): () => void;
}
