/**
 * Where webhook deliveries are kept between attempts. In memory (this file) they live as long as the
 * process; the Redis log (redis-delivery-log.ts) keeps them with the jobs, so a delivery pending when an
 * instance stops is taken up by the next instance to look. Either way one rule schedules attempts: a
 * delivery is *due* at a time, and whoever takes it first (atomically) leases it for one attempt.
 */
import type { WebhookEventType } from '../protocol/webhook-event.js';
import type { Callback } from './callback.js';

/** One attempt, as `GET /jobs/:id/deliveries` shows it. */
export interface AttemptRecord {
  readonly at: string;
  /** The receiver's HTTP status, or null when there was no answer. */
  readonly status_code: number | null;
  /** Why the attempt failed without an answer (or what the answer meant), null on success. */
  readonly error: string | null;
  readonly duration_ms: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'gone';

/** One event to one URL, with every attempt made for it. */
export interface DeliveryRecord {
  readonly webhook_id: string;
  readonly type: WebhookEventType;
  readonly url: string;
  state: DeliveryState;
  readonly attempts: AttemptRecord[];
  next_attempt_at: string | null;
}

/** A delivery with what its attempts need: the job it belongs to and the exact body signed. */
export interface StoredDelivery {
  readonly jobId: string;
  readonly record: DeliveryRecord;
  readonly body: string;
  /** When it was made (ms): deliveries are listed in this order. */
  readonly createdMs: number;
}

export interface DeliveryLog {
  /** Whether deliveries outlive this process: then other instances' (and earlier runs') are swept. */
  readonly durable: boolean;
  /** Keeps a job's callback until its ending is announced, so a restarted instance goes on with it. */
  saveCallback(jobId: string, callback: Callback): Promise<void>;
  dropCallback(jobId: string): Promise<void>;
  /** Jobs whose callback is kept (a durable log only; the memory log forgets nothing it must resume). */
  callbacks(): Promise<Map<string, Callback>>;
  /**
   * Adds a delivery leased to the caller until `leaseUntilMs`, unless one with its webhook id exists
   * (another instance announced the same event): true when this call added it.
   */
  add(delivery: StoredDelivery, leaseUntilMs: number): Promise<boolean>;
  /** Writes a delivery back after an attempt: due again at `dueAtMs`, or finished when undefined. */
  save(delivery: StoredDelivery, dueAtMs: number | undefined): Promise<void>;
  /** Takes up to `limit` deliveries due by `nowMs`, leasing each until `leaseUntilMs`. */
  takeDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<StoredDelivery[]>;
  /** A job's deliveries, oldest first. */
  list(jobId: string): Promise<DeliveryRecord[]>;
  /** URLs that answered 410: nothing more is sent there. */
  markGone(url: string): Promise<void>;
  isGone(url: string): Promise<boolean>;
}

/** The log of a server without a durable store: everything is lost with the process. */
export class MemoryDeliveryLog implements DeliveryLog {
  readonly durable = false;
  readonly #byJob = new Map<string, Map<string, StoredDelivery>>();
  readonly #due = new Map<StoredDelivery, number>();
  readonly #gone = new Set<string>();

  saveCallback(): Promise<void> {
    return Promise.resolve();
  }

  dropCallback(): Promise<void> {
    return Promise.resolve();
  }

  callbacks(): Promise<Map<string, Callback>> {
    return Promise.resolve(new Map<string, Callback>());
  }

  add(delivery: StoredDelivery, leaseUntilMs: number): Promise<boolean> {
    let deliveries = this.#byJob.get(delivery.jobId);
    if (deliveries === undefined)
      this.#byJob.set(delivery.jobId, (deliveries = new Map<string, StoredDelivery>()));
    if (deliveries.has(delivery.record.webhook_id)) return Promise.resolve(false);
    deliveries.set(delivery.record.webhook_id, delivery);
    this.#due.set(delivery, leaseUntilMs);
    return Promise.resolve(true);
  }

  save(delivery: StoredDelivery, dueAtMs: number | undefined): Promise<void> {
    if (dueAtMs === undefined) this.#due.delete(delivery);
    else this.#due.set(delivery, dueAtMs);
    return Promise.resolve();
  }

  takeDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<StoredDelivery[]> {
    const taken: StoredDelivery[] = [];
    for (const [delivery, dueMs] of this.#due) {
      if (taken.length >= limit) break;
      if (dueMs > nowMs) continue;
      this.#due.set(delivery, leaseUntilMs);
      taken.push(delivery);
    }
    return Promise.resolve(taken);
  }

  list(jobId: string): Promise<DeliveryRecord[]> {
    return Promise.resolve([...(this.#byJob.get(jobId)?.values() ?? [])].map((d) => d.record));
  }

  markGone(url: string): Promise<void> {
    this.#gone.add(url);
    return Promise.resolve();
  }

  isGone(url: string): Promise<boolean> {
    return Promise.resolve(this.#gone.has(url));
  }
}
