/**
 * What the routes share: the store, the settings, the one timer heap, metrics and the shutdown signal.
 */
import type { FastifyReply } from 'fastify';
import type { Clock } from './clock.js';
import type { Closing } from './closing.js';
import { etagOf } from './headers.js';
import type { HoldCounter } from './holds.js';
import { pollHints } from './hints.js';
import type { ServerMetrics } from './metrics.js';
import type { JobResource } from './model.js';
import type { Random } from './prng.js';
import type { ServerSettings } from './settings.js';
import type { JobStore } from './store.js';
import type { TimerQueue } from './timer-queue.js';

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
}

/** `Status-Capabilities` value, or undefined when the server offers none of the features. */
export function capabilitiesHeader(settings: ServerSettings): string | undefined {
  const parts: string[] = [];
  if (settings.longPoll) parts.push(`long-poll; max-wait=${settings.maxWaitSeconds}`);
  // The heartbeat interval lets a client tell a stalled stream from a quiet one.
  if (settings.events) parts.push(`events; heartbeat-ms=${settings.heartbeatMs}`);
  if (settings.batch) parts.push('batch');
  return parts.length === 0 ? undefined : parts.join(', ');
}

export function eventsLink(id: string): string {
  return `</jobs/${encodeURIComponent(id)}/events>; rel="events"; type="text/event-stream"`;
}

/** Sets the capability headers every job or status response carries. */
export function setCapabilityHeaders(ctx: AppContext, reply: FastifyReply, jobId?: string): void {
  if (ctx.capabilities !== undefined) reply.header('status-capabilities', ctx.capabilities);
  if (jobId !== undefined && ctx.settings.events) reply.header('link', eventsLink(jobId));
}

/** ETag, capabilities and, while pending, the poll hints (every answer gets no-store as it is sent). */
export function setJobHeaders(ctx: AppContext, reply: FastifyReply, job: JobResource): void {
  reply.header('etag', etagOf(job.version));
  setCapabilityHeaders(ctx, reply, job.id);
  if (job.result === 'pending') {
    const hints = pollHints(job.eta_ms, { minMs: ctx.settings.pollMinMs, maxMs: ctx.settings.pollMaxMs });
    reply.header('retry-after', String(hints.retryAfterSeconds));
    reply.header('poll-after-ms', String(hints.pollAfterMs));
  }
}
