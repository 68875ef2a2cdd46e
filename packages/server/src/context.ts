/**
 * What the routes share: the store, the settings, the one timer heap, metrics and the shutdown signal.
 */
import type { Clock } from './domain/clock.js';
import type { Closing } from './http/closing.js';
import type { HoldCounter } from './holds/caps.js';
import type { ServerMetrics } from './http/metrics.js';
import type { Random } from './domain/prng.js';
import type { ServerSettings } from './settings/settings.js';
import type { JobStore } from './domain/store.js';
import type { TimerQueue } from './domain/timer-queue.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';

export interface AppContext {
  readonly settings: ServerSettings;
  readonly store: JobStore;
  readonly clock: Clock;
  readonly timers: TimerQueue;
  readonly metrics: ServerMetrics;
  /** Started when the server starts closing: held requests answer, streams end. */
  readonly closing: Closing;
  readonly faultRandom: Random;
  readonly defaultJobId: string;
  /** Long-polls and event streams held open, in all and per client. */
  readonly holds: HoldCounter;
  /** `capabilitiesHeader(settings)`, worked out once. */
  readonly capabilities: string | undefined;
  /** Webhook deliveries of the jobs created with a `callback_url`. */
  readonly webhooks: WebhookDispatcher;
}
