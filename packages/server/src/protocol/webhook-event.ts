/** Which job changes become webhook events, and the event body. Pure. */
import type { JobResource } from './job-resource.js';

export const WEBHOOK_EVENT_TYPES = ['job.completed', 'job.failed', 'job.stage_changed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Longest accepted `callback_url`. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

/** Without `callback_events`, only the job's ending is sent. */
export const DEFAULT_CALLBACK_EVENTS: readonly WebhookEventType[] = ['job.completed', 'job.failed'];

/** The event a job's current state announces: its ending, or the stage it has just entered. */
export function eventTypeOf(job: JobResource): WebhookEventType {
  if (job.result === 'completed') return 'job.completed';
  return job.result === 'error' ? 'job.failed' : 'job.stage_changed';
}

/** `{"type", "timestamp", "data"}`: the timestamp is when the event happened, not when it is sent. */
export function eventBody(type: WebhookEventType, job: JobResource): string {
  return JSON.stringify({ type, timestamp: job.completed_at ?? job.updated_at, data: job });
}
