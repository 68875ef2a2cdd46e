/**
 * Server-Sent Events framing (pure).
 */
import type { JobResource } from './job-resource.js';

/** The first bytes of every stream: tells EventSource to reconnect after 1 s. */
export const SSE_PREAMBLE = 'retry: 1000\n\n';
export const SSE_HEARTBEAT = ': heartbeat\n\n';

/**
 * One `status` event; JSON.stringify never emits raw newlines, so data fits on one line. Its id is the
 * job's version, or on a multiplexed stream the version last sent of every job (`versionsId`).
 */
export function statusEvent(job: JobResource, id = String(job.version)): string {
  return `event: status\nid: ${id}\ndata: ${JSON.stringify(job)}\n\n`;
}

/** A multiplexed stream's event id: each job's last version sent, in the order of `ids`. */
export const versionsId = (sent: readonly number[]): string => sent.join(',');

/** The event of a multiplexed stream for a job the server does not know (no id: it moves nothing). */
export function missingEvent(jobId: string, message: string): string {
  return `event: missing\ndata: ${JSON.stringify({ id: jobId, error: { code: 'job_not_found', message } })}\n\n`;
}
