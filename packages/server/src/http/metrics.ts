/**
 * Prometheus metrics, one registry per app so several servers can live in one process (tests).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { JobResult } from '../domain/plan.js';

/** How deliveries ended and how attempts went, for metrics. */
export interface DeliveryCounters {
  attempt(outcome: 'success' | 'http_error' | 'no_answer'): void;
  delivery(outcome: 'delivered' | 'gave_up' | 'rejected' | 'gone'): void;
}

export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  /** Adds one answered request to `httpRequests` (cheaply: the counter catches up when read). */
  readonly countRequest: (method: string, route: string, statusCode: number) => void;
  readonly heldLongPolls: Gauge;
  readonly openEventStreams: Gauge;
  /** Webhook attempts and finished deliveries, by outcome. */
  readonly webhooks: DeliveryCounters;
}

type RequestLabels = Record<'method' | 'route' | 'status_code', string>;

interface Tally {
  readonly labels: RequestLabels;
  count: number;
}

export function createMetrics(countJobs: () => Promise<Record<JobResult, number>>): ServerMetrics {
  const registry = new Registry();
  // Requests are tallied in plain maps (three lookups and an increment, where prom-client would build
  // and hash a label object per request) and handed to the counter whenever it is read.
  const tallies = new Map<string, Map<string, Map<number, Tally>>>();
  const httpRequests = new Counter({
    name: 'translation_status_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
    collect() {
      for (const byMethod of tallies.values()) {
        for (const byStatus of byMethod.values()) {
          for (const tally of byStatus.values()) {
            if (tally.count === 0) continue;
            this.inc(tally.labels, tally.count);
            tally.count = 0;
          }
        }
      }
    },
  });
  const countRequest = (method: string, route: string, statusCode: number): void => {
    let byMethod = tallies.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      tallies.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    const tally = byStatus.get(statusCode);
    if (tally === undefined) {
      byStatus.set(statusCode, { labels: { method, route, status_code: String(statusCode) }, count: 1 });
    } else {
      tally.count++;
    }
  };
  const heldLongPolls = new Gauge({
    name: 'translation_status_long_polls_held',
    help: 'Requests currently held by Prefer: wait',
    registers: [registry],
  });
  const openEventStreams = new Gauge({
    name: 'translation_status_event_streams_open',
    help: 'Server-Sent Events streams currently open',
    registers: [registry],
  });
  new Gauge({
    name: 'translation_status_jobs',
    help: 'Jobs in the store, by result',
    labelNames: ['result'] as const,
    registers: [registry],
    async collect() {
      const counts = await countJobs();
      for (const [result, n] of Object.entries(counts)) this.set({ result }, n);
    },
  });
  const webhookAttempts = new Counter({
    name: 'translation_status_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome (success, http_error, no_answer)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: 'translation_status_webhook_deliveries_total',
    help: 'Webhook deliveries that ended, by outcome (delivered, gave_up, rejected, gone)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const webhooks: DeliveryCounters = {
    attempt: (outcome) => {
      webhookAttempts.inc({ outcome });
    },
    delivery: (outcome) => {
      webhookDeliveries.inc({ outcome });
    },
  };
  return { registry, httpRequests, countRequest, heldLongPolls, openEventStreams, webhooks };
}
