/**
 * The --json events: one declaration per event, with its fields, read by the writers (which may only
 * use declared fields) and by the README check. Every event has `event`, `job_id` (null when it is not
 * about one job, or before the default job's id is known) and `elapsed_ms` (since the command started).
 */

export const EVENTS = {
  created: {
    commands: ['create'],
    fields: { job: 'the job resource as the server returned it' },
  },
  canceled: {
    commands: ['cancel'],
    fields: { job: 'the job resource: result error, error.code canceled' },
  },
  status: {
    commands: ['status', 'wait', 'demo'],
    fields: {
      label: 'demo only: the target language',
      result: 'pending, completed or error',
      stage: "the server's stage",
      progress: '0 to 1',
      eta_ms: "the server's estimate of the time left",
      error: '{code, message} when the job failed',
      transport: 'wait and demo: sse, long-poll or poll',
    },
  },
  retry: {
    commands: ['create', 'status', 'wait', 'demo'],
    fields: {
      label: 'demo only',
      attempt: 'failures in a row so far',
      delay_ms: 'the pause before the next try',
      code: 'the failure: network_error, http_error, protocol_error, request_timeout',
      http_status: 'the HTTP status, or null when there was no answer',
      message: 'the failure in words',
    },
  },
  completed: {
    commands: ['wait'],
    fields: {
      requests: 'status requests made',
      retries: 'of them, retries',
      transport: 'the transport at the end',
    },
  },
  failed: {
    commands: ['wait'],
    fields: {
      exit_code: '1',
      code: 'job_failed',
      message: 'the failure in words',
      http_status: 'null',
      error: '{code, message}: the job error',
    },
  },
  error: {
    commands: ['create', 'status', 'wait', 'cancel', 'demo'],
    fields: {
      exit_code: 'the exit code that follows',
      code: 'usage, unreachable, http_error, wait_timeout, interrupted, terminated, ...',
      message: 'the same sentence as on stderr',
      http_status: 'the HTTP status behind it, or null',
    },
  },
  summary: {
    commands: ['demo'],
    fields: {
      jobs: '[{label, job_id, outcome, took_ms, error?}]',
      requests: 'status requests made',
      naive_requests: 'what a once-a-second poller would have made',
    },
  },
  listening: {
    commands: ['listen'],
    fields: { url: 'where the receiver listens' },
  },
  webhook: {
    commands: ['listen'],
    fields: {
      webhook_id: 'the webhook-id header (a redelivery is not printed again)',
      type: 'e.g. job.completed',
      timestamp: 'the webhook-timestamp, seconds',
      data: 'the job resource the server sent',
    },
  },
  rejected: {
    commands: ['listen'],
    fields: { reason: 'why the request failed verification, e.g. bad_signature', message: 'in words' },
  },
} as const;

export type EventName = keyof typeof EVENTS;
type FieldsByEvent = {
  readonly [E in EventName]: Partial<Record<keyof (typeof EVENTS)[E]['fields'], unknown>>;
};

/** An event's name and its own fields, only declared ones: `{ event: 'retry', attempt: 2, … }`. */
export type EventBody = { readonly [E in EventName]: { readonly event: E } & FieldsByEvent[E] }[EventName];

/** One JSON line: the common fields first, then the event's own (undefined ones left out). */
export function eventLine(body: EventBody, jobId: string | undefined | null, elapsedMs: number): string {
  const { event, ...fields } = body;
  return `${JSON.stringify({ event, job_id: jobId ?? null, elapsed_ms: Math.round(elapsedMs), ...fields })}\n`;
}
