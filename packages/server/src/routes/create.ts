/**
 * POST /jobs: create a job.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import type { JobInput } from '../domain/plan.js';
import { JOB_ERRORS } from '../domain/plan.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import type { CreateJobBody } from '../protocol/schemas.js';
import { createJobBodySchema, errorResponses, jobResourceSchema } from '../protocol/schemas.js';
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

export function createRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: CreateJobBody }>(
    '/jobs',
    {
      schema: {
        summary: 'Create a job',
        body: createJobBodySchema,
        response: { 201: jobResourceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const problems = crossFieldProblems(request.body);
      const callback = callbackOf(ctx.settings, request.body);
      if (!callback.ok) problems.push(callback.problem);
      if (problems.length > 0) throw new ApiError(ErrorCode.InvalidRequest, problems.join('; '));
      const job = await ctx.store.create(toJobInput(request.body));
      if (callback.ok && callback.callback !== undefined) ctx.webhooks.register(job, callback.callback);
      setJobHeaders(ctx, reply, job);
      reply.header('location', `/jobs/${encodeURIComponent(job.id)}`);
      return reply.code(201).send(job);
    },
  );
}
