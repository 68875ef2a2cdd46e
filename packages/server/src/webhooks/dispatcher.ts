/**
 * Webhook deliveries: turns each change of a job that has a callback into signed events, and delivers
 * each at least once along the retry schedule. Everything lives in this process: pending deliveries do
 * not survive a restart (see docs/server.md, Webhooks).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { JobResource } from '../protocol/job-resource.js';
import type { Random } from '../domain/prng.js';
import type { JobStore } from '../domain/store.js';
import type { TimerQueue } from '../domain/timer-queue.js';
import type { DeliveryCounters } from '../http/metrics.js';
import type { Callback } from './callback.js';
import { eventBody, eventTypeOf, type WebhookEventType } from '../protocol/webhook-event.js';
import { nextStep, type AttemptOutcome, type NextStep } from './retry-schedule.js';
import { sendAttempt, type SendAttempt } from './send.js';
import { signatureHeader } from './signing.js';

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
  /** @default `msg_` and 24 random hex digits */
  readonly newWebhookId?: () => string;
}

/** At most this much of a receiver's answer is read. */
export const MAX_RESPONSE_BYTES = 65_536;

const USER_AGENT = 'translation-status-webhooks/0.1';

const randomWebhookId = (): string => `msg_${randomBytes(12).toString('hex')}`;

export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;
  readonly #send: SendAttempt;
  readonly #newId: () => string;
  readonly #deliveries = new Map<string, DeliveryRecord[]>();
  /** URLs that answered 410: nothing more is sent there. */
  readonly #gone = new Set<string>();
  readonly #stops = new Set<() => void>();
  readonly #closed = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
    this.#send = options.send ?? sendAttempt;
    this.#newId = options.newWebhookId ?? randomWebhookId;
  }

  /** Starts delivering `job`'s events to its callback; call it right after the job is created. */
  register(job: JobResource, callback: Callback): void {
    this.#deliveries.set(job.id, []);
    if (job.result !== 'pending') {
      this.#announce(job, callback); // ended at creation: there will be no change to hear of
      return;
    }
    const unsubscribe = this.#options.store.subscribe(job.id, (changed) => {
      this.#announce(changed, callback);
      if (changed.result !== 'pending') stop();
    });
    const stop = (): void => {
      unsubscribe();
      this.#stops.delete(stop);
    };
    this.#stops.add(stop);
  }

  /** The deliveries of a job with a callback (oldest first), or undefined for a job without one. */
  deliveriesOf(jobId: string): readonly DeliveryRecord[] | undefined {
    return this.#deliveries.get(jobId);
  }

  /** Stops listening, cancels every scheduled retry and aborts attempts in flight. */
  async close(): Promise<void> {
    for (const stop of [...this.#stops]) stop();
    this.#closed.abort();
    await Promise.all(this.#inFlight);
  }

  #announce(job: JobResource, callback: Callback): void {
    const type = eventTypeOf(job);
    if (!callback.events.includes(type)) return;
    const record: DeliveryRecord = {
      webhook_id: this.#newId(),
      type,
      url: callback.url,
      state: 'pending',
      attempts: [],
      next_attempt_at: null,
    };
    this.#deliveries.get(job.id)?.push(record);
    this.#attempt(record, eventBody(type, job));
  }

  #attempt(record: DeliveryRecord, body: string): void {
    const { clock, keys, timeoutMs } = this.#options;
    if (this.#gone.has(record.url)) {
      this.#finish(record, 'gone');
      return;
    }
    record.next_attempt_at = null;
    const startedMs = clock.now();
    const timestampS = Math.floor(startedMs / 1000);
    const attempt = this.#send({
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
    }).then((outcome) => {
      this.#inFlight.delete(attempt);
      if (this.#closed.signal.aborted) return; // stays pending: it is lost with this process
      this.#settle(record, body, outcome, startedMs);
    });
    this.#inFlight.add(attempt);
  }

  #settle(record: DeliveryRecord, body: string, outcome: AttemptOutcome, startedMs: number): void {
    const { clock, timers, timeScale, random, counters } = this.#options;
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
        const cancel = timers.at(atMs, () => {
          this.#closed.signal.removeEventListener('abort', cancel);
          this.#attempt(record, body);
        });
        this.#closed.signal.addEventListener('abort', cancel, { once: true });
        return;
      }
      case 'gone':
        this.#gone.add(record.url);
        this.#finish(record, 'gone');
        return;
      case 'delivered':
        this.#finish(record, 'delivered');
        return;
      case 'gave_up':
      case 'rejected':
        record.state = 'failed';
        counters?.delivery(step.kind);
    }
  }

  #finish(record: DeliveryRecord, state: 'delivered' | 'gone'): void {
    record.state = state;
    this.#options.counters?.delivery(state);
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
