/**
 * Every Redis key and channel the store uses, from one prefix, so two deployments (or a test and the
 * next) can share a Redis database without meeting.
 */

/** @default prefix of every key */
export const DEFAULT_KEY_PREFIX = 'translation-status:';

export interface RedisKeys {
  readonly prefix: string;
  /** Hash of one job: its record (input and plan), creation, end and cancellation times. */
  job(id: string): string;
  /** Prefix of job keys, for scripts that derive a job's key from an id they read. */
  readonly jobPrefix: string;
  /** Sorted sets of job ids by end time, one per eventual result: counts by result, trimming. */
  readonly endsCompleted: string;
  readonly endsError: string;
  /** Sorted set of job ids by creation time: listing, newest first. */
  readonly created: string;
  /** Hash of one idempotency key: the fingerprint of the create it was sent with and its job's id. */
  idempotency(key: string): string;
  /** Counter of creates, from which each job's plan seed is derived. */
  readonly sequence: string;
  /** The id of the job GET /status answers for, shared by every instance. */
  readonly defaultJob: string;
  /** Pub/sub channel: a job id per change that time alone does not explain (a cancellation). */
  readonly changes: string;
  /** Hash of job id → callback, for jobs whose ending is still to be announced by a webhook. */
  readonly callbacks: string;
  /** Hash of one job's webhook deliveries: webhook id → delivery. */
  deliveries(jobId: string): string;
  readonly deliveriesPrefix: string;
  /** Sorted set of deliveries (`job id` space `webhook id`) by the time they are due. */
  readonly deliveriesDue: string;
  /** Set of callback URLs that answered 410 Gone. */
  readonly goneUrls: string;
}

export function redisKeys(prefix = DEFAULT_KEY_PREFIX): RedisKeys {
  const jobPrefix = `${prefix}job:`;
  return {
    prefix,
    job: (id) => `${jobPrefix}${id}`,
    jobPrefix,
    endsCompleted: `${prefix}ends:completed`,
    endsError: `${prefix}ends:error`,
    created: `${prefix}created`,
    idempotency: (key) => `${prefix}idempotency:${key}`,
    sequence: `${prefix}sequence`,
    defaultJob: `${prefix}default-job`,
    changes: `${prefix}changes`,
    callbacks: `${prefix}webhooks:callbacks`,
    deliveries: (jobId) => `${prefix}webhooks:deliveries:${jobId}`,
    deliveriesPrefix: `${prefix}webhooks:deliveries:`,
    deliveriesDue: `${prefix}webhooks:due`,
    goneUrls: `${prefix}webhooks:gone`,
  };
}
