/**
 * POST /jobs: create a job, at most once per `Idempotency-Key`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import type { JobInput } from '../domain/plan.js';
import { JOB_ERRORS } from '../domain/plan.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { bodyFingerprint } from '../protocol/fingerprint.js';
import type { JobResource } from '../protocol/job-resource.js';
import type { CreateJobBody } from '../protocol/schemas.js';
import { createErrorResponses, createJobBodySchema, jobResourceSchema } from '../protocol/schemas.js';
import type { ServerSettings } from '../settings/settings.js';
import { type Callback, checkCallback } from '../webhooks/callback.js';
import { setJobHeaders } from './job-headers.js';

/** Cross-field rules JSON schema cannot say clearly. */
function crossFieldProblems(body: CreateJobBody): string[] {
  const problems: string[] = [];
  const code = body.simulate?.error_code;
  if (code !== undefined && body.simulate?.outcome === 'completed') {
    problems.push('body.simulate.error_code is only allowed when body.simulate.outcome is error');
  }
  if (code !== undefined && JOB_ERRORS[code].stage === 'lip_sync' && !body.lip_sync) {
    problems.push(`body.simulate.error_code ${code} needs body.lip_sync to be true`);
  }
  if (body.source_language.toLowerCase() === body.target_language.toLowerCase()) {
    problems.push('body.target_language must differ from body.source_language');
  }
  return problems;
}

/** The job's webhook callback, if it asked for one this server can honour. */
function callbackOf(
  settings: ServerSettings,
  body: CreateJobBody,
): { ok: true; callback: Callback | undefined } | { ok: false; problem: string } {
  if (body.callback_url === undefined) {
    return body.callback_events === undefined
      ? { ok: true, callback: undefined }
      : { ok: false, problem: 'body.callback_events needs body.callback_url' };
  }
  if (settings.webhookSecrets.length === 0) {
    return {
      ok: false,
      problem:
        'body.callback_url cannot be honoured: this server sends no webhooks (start it with --webhook-secret)',
    };
  }
  const check = checkCallback(body.callback_url, body.callback_events, settings.webhookAllowHosts);
  return check.ok ? check : { ok: false, problem: `body.${check.field} ${check.problem}` };
}

function toJobInput(body: CreateJobBody): JobInput {
  const simulate = body.simulate;
  const outcome = simulate?.outcome ?? (simulate?.error_code === undefined ? undefined : 'error');
  return {
    sourceLanguage: body.source_language,
    targetLanguage: body.target_language,
    videoDurationSeconds: body.video_duration_seconds,
    lipSync: body.lip_sync,
    simulate:
      simulate === undefined
        ? undefined
        : { durationMs: simulate.duration_ms, outcome, errorCode: simulate.error_code },
  };
}

/** Visible ASCII, as RFC 9110 tokens and most generators (UUIDs) are; bounded so it cannot amplify. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key, checked, or undefined when it sent none. */
function idempotencyKeyOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && KEY_PATTERN.test(value)) return value;
  throw new ApiError(
    ErrorCode.InvalidRequest,
    'header Idempotency-Key must be one value of 1 to 255 visible ASCII characters (a UUID, for example)',
  );
}

const IN_PROGRESS_RETRY_AFTER = { 'retry-after': '1' };

function answerCreated(ctx: AppContext, reply: FastifyReply, job: JobResource, status: 200 | 201) {
  setJobHeaders(ctx, reply, job);
  reply.header('location', `/jobs/${encodeURIComponent(job.id)}`);
  return reply.code(status).send(job);
}

/**
 * Creates the job once per key: the first request with a key claims it and creates (201); a request with
 * the same key and body gets that job (200); another body is a 422, and a request arriving while the
 * first is still creating a 409 with Retry-After.
 */
async function createOnce(
  ctx: AppContext,
  reply: FastifyReply,
  key: string,
  body: CreateJobBody,
  onCreated: (job: JobResource) => Promise<void>,
) {
  const store = ctx.store;
  const claim = await store.claimKey(key, bodyFingerprint(body));
  switch (claim.status) {
    case 'conflict':
      throw new ApiError(ErrorCode.IdempotencyConflict, key);
    case 'in_progress':
      throw new ApiError(ErrorCode.IdempotencyInProgress, key, IN_PROGRESS_RETRY_AFTER);
    case 'done': {
      const job = await store.get(claim.jobId);
      if (job !== undefined) return answerCreated(ctx, reply, job, 200);
      // The job outlived by its key is gone (retention): the key makes a new one.
      break;
    }
    case 'claimed':
      break;
  }
  let job: JobResource;
  try {
    job = await store.create(toJobInput(body), key);
  } catch (error) {
    await store.releaseKey(key).catch(() => undefined);
    throw error;
  }
  await onCreated(job);
  return answerCreated(ctx, reply, job, 201);
}

export function createRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: CreateJobBody }>(
    '/jobs',
    {
      schema: {
        summary: 'Create a job; with Idempotency-Key, at most once per key and body (24 h)',
        headers: {
          type: 'object',
          properties: {
            'idempotency-key': {
              type: 'string',
              description:
                'Makes the create safe to retry: the same key and body within 24 h answer the same job (200)',
            },
          },
        },
        body: createJobBodySchema,
        response: {
          200: {
            ...jobResourceSchema,
            description: 'The job an earlier request with this Idempotency-Key made',
          },
          201: { ...jobResourceSchema, description: 'Created; Location names the job' },
          ...createErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const problems = crossFieldProblems(request.body);
      const callback = callbackOf(ctx.settings, request.body);
      if (!callback.ok) problems.push(callback.problem);
      if (problems.length > 0) throw new ApiError(ErrorCode.InvalidRequest, problems.join('; '));
      // Webhooks follow a job this request made, not one an earlier request with its key made.
      const register = async (job: JobResource): Promise<void> => {
        if (callback.ok && callback.callback !== undefined)
          await ctx.webhooks.register(job, callback.callback);
      };
      const key = idempotencyKeyOf(request.headers['idempotency-key']);
      if (key !== undefined) return createOnce(ctx, reply, key, request.body, register);
      const job = await ctx.store.create(toJobInput(request.body));
      await register(job);
      return answerCreated(ctx, reply, job, 201);
    },
  );
}
