/**
 * JSON schemas of the routes: they validate requests and generate GET /openapi.json.
 */
import { JOB_ERROR_CODES, JOB_RESULTS, stagesFor } from '../domain/plan.js';
import { MAX_CALLBACK_URL_LENGTH, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event.js';

/** BCP 47-ish: a 2-3 letter primary tag, then optional subtags (`en`, `pt-BR`, `zh-Hant-TW`). */
export const LANGUAGE_PATTERN = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
export const MAX_VIDEO_SECONDS = 14_400;
export const MAX_SIMULATED_MS = 86_400_000;
export const MAX_BATCH_IDS = 100;

const jobErrorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;

export const jobResourceSchema = {
  type: 'object',
  required: [
    'id',
    'result',
    'stage',
    'progress',
    'source_language',
    'target_language',
    'video_duration_seconds',
    'lip_sync',
    'created_at',
    'updated_at',
    'completed_at',
    'version',
  ],
  properties: {
    id: { type: 'string' },
    result: { type: 'string', enum: JOB_RESULTS },
    stage: { type: 'string', enum: [...stagesFor(true), 'done', 'failed', 'canceled'] },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    source_language: { type: 'string' },
    target_language: { type: 'string' },
    video_duration_seconds: { type: 'number' },
    lip_sync: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    completed_at: { type: 'string', format: 'date-time', nullable: true },
    eta_ms: { type: 'integer', minimum: 0, description: 'Estimated remaining ms (deliberately imperfect)' },
    version: { type: 'integer', minimum: 1 },
    error: jobErrorSchema,
  },
} as const;

export const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: { error: jobErrorSchema },
} as const;

export const createJobBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source_language', 'target_language', 'video_duration_seconds'],
  properties: {
    source_language: { type: 'string', pattern: LANGUAGE_PATTERN },
    target_language: { type: 'string', pattern: LANGUAGE_PATTERN },
    video_duration_seconds: { type: 'number', exclusiveMinimum: 0, maximum: MAX_VIDEO_SECONDS },
    lip_sync: { type: 'boolean', default: true },
    simulate: {
      type: 'object',
      additionalProperties: false,
      properties: {
        duration_ms: { type: 'integer', minimum: 0, maximum: MAX_SIMULATED_MS },
        outcome: { type: 'string', enum: ['completed', 'error'] },
        error_code: { type: 'string', enum: JOB_ERROR_CODES },
      },
    },
    callback_url: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_CALLBACK_URL_LENGTH,
      description: 'Where to POST signed webhooks (Standard Webhooks) about this job',
    },
    callback_events: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', enum: WEBHOOK_EVENT_TYPES },
      description: 'Which events to send; default job.completed and job.failed',
    },
  },
} as const;

export interface CreateJobBody {
  source_language: string;
  target_language: string;
  video_duration_seconds: number;
  lip_sync: boolean;
  simulate?: {
    duration_ms?: number;
    outcome?: 'completed' | 'error';
    error_code?: (typeof JOB_ERROR_CODES)[number];
  };
  callback_url?: string;
  callback_events?: WebhookEventType[];
}

export const batchResponseSchema = {
  type: 'object',
  required: ['jobs'],
  properties: {
    jobs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, job: jobResourceSchema, error: jobErrorSchema },
      },
    },
  },
} as const;

/** An error answer with what causes it and, for one worth retrying, its `Retry-After` (OpenAPI only). */
function errorAnswer(description: string, retryAfter = false) {
  const headers = { 'retry-after': { type: 'integer', description: 'Seconds before asking again' } };
  return { ...errorBodySchema, description, ...(retryAfter ? { headers } : {}) };
}

export const errorResponses = {
  429: errorAnswer('rate_limited: too many requests, or this client holds too many waits', true),
  503: errorAnswer(
    'unavailable: shutting down, full of held waits, the job store (Redis) unreachable, or an injected fault',
    true,
  ),
  '4xx': errorBodySchema,
  '5xx': errorBodySchema,
} as const;

/** `POST /jobs`: also the two answers of an `Idempotency-Key` that cannot make a job (yet). */
export const createErrorResponses = {
  409: errorAnswer('idempotency_in_progress: a create under this Idempotency-Key is still running', true),
  422: errorAnswer('idempotency_conflict: this Idempotency-Key was used with another body'),
  ...errorResponses,
} as const;

/** `DELETE /jobs/:id`: also the answer for a job that ended otherwise first. */
export const cancelErrorResponses = {
  409: errorAnswer('job_finished: the job completed or failed before it could be canceled'),
  ...errorResponses,
} as const;

const attemptSchema = {
  type: 'object',
  required: ['at', 'status_code', 'error', 'duration_ms'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    status_code: { type: 'integer', nullable: true },
    error: { type: 'string', nullable: true },
    duration_ms: { type: 'integer', minimum: 0 },
  },
} as const;

export const deliveriesResponseSchema = {
  type: 'object',
  required: ['deliveries'],
  properties: {
    deliveries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['webhook_id', 'type', 'url', 'state', 'attempts', 'next_attempt_at'],
        properties: {
          webhook_id: { type: 'string' },
          type: { type: 'string', enum: WEBHOOK_EVENT_TYPES },
          url: { type: 'string' },
          state: { type: 'string', enum: ['pending', 'delivered', 'failed', 'gone'] },
          attempts: { type: 'array', items: attemptSchema },
          next_attempt_at: { type: 'string', format: 'date-time', nullable: true },
        },
      },
    },
  },
} as const;
