/**
 * Prometheus metrics, one registry per app so several servers can live in one process (tests).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { JobResult } from './model.js';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  readonly heldLongPolls: Gauge;
  readonly openEventStreams: Gauge;
}

export function createMetrics(countJobs: () => Promise<Record<JobResult, number>>): ServerMetrics {
  const registry = new Registry();
  const httpRequests = new Counter({
    name: 'translation_status_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
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
  return { registry, httpRequests, heldLongPolls, openEventStreams };
}
