/**
 * Webhook deliveries: turns each change of a job that has a callback into a signed event, and delivers
 * each at least once along the retry schedule. Deliveries are kept in a DeliveryLog: in memory they are
 * lost with the process; in Redis a delivery pending when an instance stops (or dies) is taken up by
 * whichever instance sweeps first, and a restarted instance goes on following the jobs with callbacks.
 * An event's webhook id is derived from the job and the event, so instances that see the same change
 * announce it once.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { JobResource } from '../protocol/job-resource.js';
import type { Random } from '../domain/prng.js';
import type { JobStore } from '../domain/store.js';
import type { TimerQueue } from '../domain/timer-queue.js';
import type { DeliveryCounters } from '../http/metrics.js';
import type { Callback } from './callback.js';
import { heygenEventBody } from '../protocol/heygen.js';
import { eventBody, eventTypeOf, type WebhookEventType } from '../protocol/webhook-event.js';
import {
  MemoryDeliveryLog,
  type DeliveryLog,
  type DeliveryRecord,
  type StoredDelivery,
} from './delivery-log.js';
import { nextStep, type AttemptOutcome, type NextStep } from './retry-schedule.js';
import { sendAttempt, type SendAttempt } from './send.js';
import { signatureHeader } from './signing.js';

export type { AttemptRecord, DeliveryRecord, DeliveryState } from './delivery-log.js';

export interface WebhookDispatcherOptions {
  readonly store: JobStore;
  readonly clock: Clock;
  readonly timers: TimerQueue;
  /** Signing keys (decoded `whsec_` secrets); each attempt carries one signature per key. */
  readonly keys: readonly Buffer[];
  /** Multiplies the retry schedule. */
  readonly timeScale: number;
  /** Deadline of one attempt, ms. */
  readonly timeoutMs: number;
  readonly random: Random;
  readonly counters?: DeliveryCounters;
  /** @default an HTTP POST (send.ts) */
  readonly send?: SendAttempt;
  /** @default in memory: deliveries are lost with the process */
  readonly log?: DeliveryLog;
  /** How often a durable log is swept for deliveries left by stopped instances. @default 1000 */
  readonly sweepIntervalMs?: number;
  /** Where a failure to read or write the log is reported (the delivery is retried by a later sweep). */
  readonly onError?: (error: unknown, doing: string) => void;
}

/** At most this much of a receiver's answer is read. */
export const MAX_RESPONSE_BYTES = 65_536;
/** Deliveries taken per sweep. */
const SWEEP_BATCH = 100;
/** A lease outlasts its attempt by this much before another instance may take the delivery. */
const LEASE_MARGIN_MS = 2000;

const USER_AGENT = 'translation-status-webhooks/0.1';

/** The same for every instance that sees this change of this job, and for no other event. */
export function webhookIdOf(job: JobResource, type: WebhookEventType): string {
  const digest = createHash('sha256').update(`${job.id}\n${type}\n${job.stage}`).digest('hex');
  return `msg_${digest.slice(0, 24)}`;
}

export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;
  readonly #send: SendAttempt;
  readonly #log: DeliveryLog;
  /** Jobs followed by this process: the unsubscribe function of each. */
  readonly #following = new Map<string, () => void>();
  readonly #timers = new Set<() => void>();
  readonly #closed = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
    this.#send = options.send ?? sendAttempt;
    this.#log = options.log ?? new MemoryDeliveryLog();
  }

  /**
   * With a durable log, goes on with what earlier runs and stopped instances left: deliveries due or
   * orphaned, and jobs whose ending is still to be announced. Then sweeps again every interval.
   */
  start(): void {
    if (!this.#log.durable) return;
    const tick = (): void => {
      this.#track(this.#sweep(true));
      this.#later(this.#options.clock.now() + (this.#options.sweepIntervalMs ?? 1000), tick);
    };
    tick();
  }

  /** Starts delivering `job`'s events to its callback; call it right after the job is created. */
  async register(job: JobResource, callback: Callback): Promise<void> {
    await this.#log.saveCallback(job.id, callback);
    this.#follow(job, callback);
  }

  /** The deliveries of a job (oldest first); none for a job without a callback. */
  deliveriesOf(jobId: string): Promise<DeliveryRecord[]> {
    return this.#log.list(jobId);
  }

  /** Stops listening, cancels every scheduled attempt and aborts attempts in flight. */
  async close(): Promise<void> {
    for (const stop of this.#following.values()) stop();
    this.#following.clear();
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
    this.#closed.abort();
    await Promise.all(this.#inFlight);
  }

  #follow(job: JobResource, callback: Callback): void {
    if (this.#closed.signal.aborted || this.#following.has(job.id)) return;
    if (job.result !== 'pending') {
      this.#track(this.#announce(job, callback)); // ended already: there will be no change to hear of
      return;
    }
    const unsubscribe = this.#options.store.subscribe(job.id, (changed) => {
      if (changed.result !== 'pending') {
        unsubscribe();
        this.#following.delete(job.id);
      }
      this.#track(this.#announce(changed, callback));
    });
    this.#following.set(job.id, unsubscribe);
  }

  async #announce(job: JobResource, callback: Callback): Promise<void> {
    const type = eventTypeOf(job);
    if (callback.events.includes(type)) {
      const now = this.#options.clock.now();
      const delivery: StoredDelivery = {
        jobId: job.id,
        record: {
          webhook_id: webhookIdOf(job, type),
          type,
          url: callback.url,
          state: 'pending',
          attempts: [],
          next_attempt_at: null,
        },
        body:
          callback.shape?.api === 'heygen'
            ? heygenEventBody(job, callback.shape.callbackId)
            : eventBody(type, job),
        createdMs: now,
      };
      if (await this.#log.add(delivery, now + this.#leaseMs())) await this.#attempt(delivery);
    }
    if (job.result !== 'pending') await this.#log.dropCallback(job.id);
  }

  /** Attempts what is due; with `resume`, also follows the log's jobs that no one here follows. */
  async #sweep(resume: boolean): Promise<void> {
    if (this.#closed.signal.aborted) return;
    const now = this.#options.clock.now();
    const due = await this.#log.takeDue(now, now + this.#leaseMs(), SWEEP_BATCH);
    for (const delivery of due) this.#track(this.#attempt(delivery));
    if (!resume) return;
    for (const [jobId, callback] of await this.#log.callbacks()) {
      if (this.#following.has(jobId)) continue;
      const job = await this.#options.store.get(jobId);
      if (job === undefined)
        await this.#log.dropCallback(jobId); // expired with its job
      else {
        this.#follow(job, callback);
        // A change made while nobody followed: announced now (at most once, by its webhook id).
        if (job.result === 'pending') this.#track(this.#announce(job, callback));
      }
    }
  }

  async #attempt(delivery: StoredDelivery): Promise<void> {
    const { clock, keys, timeoutMs } = this.#options;
    const { record, body } = delivery;
    if (await this.#log.isGone(record.url)) {
      await this.#finish(delivery, 'gone');
      return;
    }
    record.next_attempt_at = null;
    const startedMs = clock.now();
    const timestampS = Math.floor(startedMs / 1000);
    const outcome = await this.#send({
      url: record.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': record.webhook_id,
        'webhook-timestamp': String(timestampS),
        'webhook-signature': signatureHeader(keys, record.webhook_id, timestampS, body),
      },
      timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      signal: this.#closed.signal,
    });
    // Closed mid-attempt: the delivery stays leased, and is taken up again once its lease ends.
    if (this.#closed.signal.aborted) return;
    await this.#settle(delivery, outcome, startedMs);
  }

  async #settle(delivery: StoredDelivery, outcome: AttemptOutcome, startedMs: number): Promise<void> {
    const { clock, timeScale, random, counters } = this.#options;
    const { record } = delivery;
    const step = nextStep(outcome, record.attempts.length + 1, timeScale, random());
    record.attempts.push({
      at: new Date(startedMs).toISOString(),
      status_code: outcome.kind === 'answered' ? outcome.status : null,
      error: outcome.kind === 'failed' ? outcome.error : describeAnswer(outcome.status, step),
      duration_ms: Math.max(0, clock.now() - startedMs),
    });
    counters?.attempt(
      outcome.kind === 'failed' ? 'no_answer' : step.kind === 'delivered' ? 'success' : 'http_error',
    );
    switch (step.kind) {
      case 'retry': {
        const atMs = clock.now() + step.delayMs;
        record.next_attempt_at = new Date(atMs).toISOString();
        await this.#log.save(delivery, atMs);
        this.#later(atMs, () => {
          this.#track(this.#sweep(false));
        });
        return;
      }
      case 'gone':
        await this.#log.markGone(record.url);
        await this.#finish(delivery, 'gone');
        return;
      case 'delivered':
        await this.#finish(delivery, 'delivered');
        return;
      case 'gave_up':
      case 'rejected':
        record.state = 'failed';
        await this.#log.save(delivery, undefined);
        counters?.delivery(step.kind);
    }
  }

  async #finish(delivery: StoredDelivery, state: 'delivered' | 'gone'): Promise<void> {
    delivery.record.state = state;
    await this.#log.save(delivery, undefined);
    this.#options.counters?.delivery(state);
  }

  #leaseMs(): number {
    return this.#options.timeoutMs + LEASE_MARGIN_MS;
  }

  /** Runs `fn` at `atMs` on the app's timers, unless the dispatcher closes first. */
  #later(atMs: number, fn: () => void): void {
    if (this.#closed.signal.aborted) return;
    const cancel = this.#options.timers.at(atMs, () => {
      this.#timers.delete(cancel);
      fn();
    });
    this.#timers.add(cancel);
  }

  /** Keeps a step's promise until it settles, reporting (not throwing) a failure of the log. */
  #track(step: Promise<void>): void {
    const tracked = step.catch((error: unknown) => {
      this.#options.onError?.(error, 'webhook delivery');
    });
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
  }
}

/** The `error` of an attempt that got an answer: null when delivered, else what the answer meant. */
function describeAnswer(status: number, step: NextStep): string | null {
  switch (step.kind) {
    case 'delivered':
      return null;
    case 'gone':
      return 'HTTP 410: the receiver wants no more deliveries at this URL';
    case 'rejected':
      return status >= 300 && status < 400
        ? `HTTP ${status}: redirects are not followed; give the final URL as callback_url`
        : `HTTP ${status}: not retried`;
    case 'gave_up':
      return `HTTP ${status}: the last attempt of the schedule`;
    case 'retry':
      return `HTTP ${status}: will retry`;
  }
}
