/**
 * Server-Sent Events framing (pure).
 */
import type { JobResource } from './job-resource.js';

/** The first bytes of every stream: tells EventSource to reconnect after 1 s. */
export const SSE_PREAMBLE = 'retry: 1000\n\n';
export const SSE_HEARTBEAT = ': heartbeat\n\n';

/** One `status` event; JSON.stringify never emits raw newlines, so data fits on one line. */
export function statusEvent(job: JobResource): string {
  return `event: status\nid: ${job.version}\ndata: ${JSON.stringify(job)}\n\n`;
}
