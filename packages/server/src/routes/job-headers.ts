/**
 * The headers a job or status answer carries: ETag, capabilities, the stream's Link and the poll hints.
 */
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { eventsLink } from '../protocol/capabilities.js';
import { etagOf } from '../protocol/headers.js';
import { pollHints } from '../protocol/hints.js';
import type { JobResource } from '../protocol/job-resource.js';

/** Sets the capability headers every job or status response carries. */
export function setCapabilityHeaders(ctx: AppContext, reply: FastifyReply, jobId?: string): void {
  if (ctx.capabilities !== undefined) reply.header('status-capabilities', ctx.capabilities);
  if (jobId !== undefined && ctx.settings.events) reply.header('link', eventsLink(jobId));
}

/**
 * ETag, capabilities and, while pending, the poll hints (every answer gets no-store as it is sent).
 * A `released` answer (a held request let go before its job changed: shutdown, or the store lost) hints
 * the minimum, so the client asks again at once, elsewhere: an ETA-based hint would leave the wait on a
 * job that fails early late by up to that ETA.
 */
export function setJobHeaders(
  ctx: AppContext,
  reply: FastifyReply,
  job: JobResource,
  released = false,
): void {
  reply.header('etag', etagOf(job.version));
  setCapabilityHeaders(ctx, reply, job.id);
  if (job.result === 'pending') {
    const bounds = { minMs: ctx.settings.pollMinMs, maxMs: ctx.settings.pollMaxMs };
    const hints = pollHints(released ? undefined : job.eta_ms, bounds);
    reply.header('retry-after', String(hints.retryAfterSeconds));
    reply.header('poll-after-ms', String(hints.pollAfterMs));
  }
}
