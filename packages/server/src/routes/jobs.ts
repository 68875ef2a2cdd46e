/**
 * GET /status, POST /jobs, GET /jobs/:id and the batch GET /jobs?ids=.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientIdOf } from '../access.js';
import type { AppContext } from '../context.js';
import { setCapabilityHeaders, setJobHeaders } from '../context.js';
import { ApiError, ERROR_SPECS, ErrorCode } from '../errors.js';
import { faultPreHandler, STATUS_ROUTE_FAULTS } from '../fault-hook.js';
import { parseIfNoneMatch, parsePreferWait } from '../headers.js';
import { type AfterHold, holdUntilChange, type WakeOn, type WakeReason } from '../long-poll.js';
import type { JobInput, JobResource } from '../model.js';
import { JOB_ERRORS } from '../model.js';
import type { CreateJobBody } from '../schemas.js';
import {
  batchResponseSchema,
  createJobBodySchema,
  errorResponses,
  jobResourceSchema,
  MAX_BATCH_IDS,
} from '../schemas.js';

const waitHeaders = {
  type: 'object',
  properties: {
    prefer: { type: 'string', description: 'RFC 7240; `wait=N` holds the request up to N seconds' },
    'if-none-match': { type: 'string', description: 'Hold only while the job is at this version ("vK")' },
  },
} as const;

/** The `wait` to apply (seconds), honouring the cap; undefined when long-poll is off or not asked for. */
function appliedWait(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): number | undefined {
  const prefer = request.headers.prefer;
  if (!ctx.settings.longPoll || prefer === undefined) return undefined;
  const asked = parsePreferWait(prefer);
  if (asked === undefined) return undefined;
  const applied = Math.min(asked, ctx.settings.maxWaitSeconds);
  reply.header('preference-applied', `wait=${applied}`);
  return applied;
}

/** The `wake` query parameter of held reads: what ends the hold. */
const wakeQuery = {
  type: 'string',
  enum: ['change', 'result'],
  description:
    'With Prefer: wait, what ends the hold: any stage or result change (default), or only the job ending',
} as const;

/** What a read of one job answers: the job, or the hijacked reply when the client went away. */
type JobAnswer = JobResource | FastifyReply;

/**
 * Reads one job and answers it, holding the request as `Prefer: wait` asks. A plain read from a store
 * that can `peek` is answered synchronously, with no promise at all; only a held read (or a store that
 * must be awaited) returns one.
 */
function readJob(
  ctx: AppContext,
  request: FastifyRequest<{ Querystring: { wake?: WakeOn } }>,
  reply: FastifyReply,
  id: string,
): JobAnswer | Promise<JobAnswer> {
  const store = ctx.store;
  if (store.peek === undefined) {
    return store.get(id).then((job) => answerOrHold(ctx, request, reply, id, job));
  }
  return answerOrHold(ctx, request, reply, id, store.peek(id));
}

function answerOrHold(
  ctx: AppContext,
  request: FastifyRequest<{ Querystring: { wake?: WakeOn } }>,
  reply: FastifyReply,
  id: string,
  job: JobResource | undefined,
): JobAnswer | Promise<JobAnswer> {
  if (job === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
  const wait = appliedWait(ctx, request, reply);
  if (wait === undefined || wait === 0 || job.result !== 'pending') return answerJob(ctx, reply, job);
  const wakeOn = request.query.wake ?? 'change';
  const known = parseIfNoneMatch(request.headers['if-none-match']) ?? job.version;
  // A stage the client has not seen is news, unless it asked to hear only of the ending.
  if (known !== job.version && wakeOn === 'change') return answerJob(ctx, reply, job);
  // Ten thousand of these may be held at once: what the hold keeps is the id, never the job read here.
  return holdUntilChange(
    ctx,
    clientIdOf(request),
    reply,
    [id],
    [job.version],
    wait * 1000,
    wakeOn,
    answerAfterHold,
  );
}

/** Once a hold on one job ends: the job as it is now, or the hijacked reply when the client went away. */
function answerAfterHold(
  ctx: AppContext,
  reply: FastifyReply,
  ids: readonly string[],
  reason: WakeReason,
): JobAnswer | Promise<JobAnswer> {
  if (reason === 'disconnected') return reply.hijack();
  const id = ids[0] ?? '';
  const store = ctx.store;
  if (store.peek === undefined) return store.get(id).then((job) => answerFound(ctx, reply, id, job));
  return answerFound(ctx, reply, id, store.peek(id));
}

function answerFound(
  ctx: AppContext,
  reply: FastifyReply,
  id: string,
  job: JobResource | undefined,
): JobResource {
  if (job === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
  return answerJob(ctx, reply, job);
}

function answerJob(ctx: AppContext, reply: FastifyReply, job: JobResource): JobResource {
  setJobHeaders(ctx, reply, job);
  return job;
}

/** For a hold whose caller goes on itself: the reason it ended. */
const reasonOnly: AfterHold<WakeReason> = (_ctx, _reply, _ids, reason) => reason;

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

/** Splits and checks `ids`; throws invalid_request naming the problem. */
export function parseBatchIds(raw: string | undefined): string[] {
  const ids = (raw ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  if (ids.length === 0) {
    throw new ApiError(ErrorCode.InvalidRequest, 'query.ids is required: a comma-separated list of job ids');
  }
  if (ids.length > MAX_BATCH_IDS) {
    throw new ApiError(
      ErrorCode.InvalidRequest,
      `query.ids lists ${ids.length} ids; at most ${MAX_BATCH_IDS} are allowed`,
    );
  }
  return ids;
}

/**
 * Reads `versions` (one integer per id, the versions the client has already seen). Absent or not
 * matching the ids → undefined, and the batch is held relative to the versions at arrival.
 */
export function parseBatchVersions(raw: string | undefined, count: number): number[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length !== count || !parts.every((part) => /^\d{1,15}$/.test(part))) {
    throw new ApiError(
      ErrorCode.InvalidRequest,
      `query.versions must list one whole number per id (${count}), in the order of query.ids`,
    );
  }
  return parts.map(Number);
}

export function jobRoutes(app: FastifyInstance, ctx: AppContext): void {
  const faults = faultPreHandler(ctx, STATUS_ROUTE_FAULTS);

  app.get<{ Querystring: { job_id?: string; wake?: WakeOn } }>(
    '/status',
    {
      ...faults,
      schema: {
        summary: 'The default job (or any job with job_id), as a job resource',
        querystring: {
          type: 'object',
          properties: { job_id: { type: 'string', minLength: 1 }, wake: wakeQuery },
        },
        headers: waitHeaders,
        response: { 200: jobResourceSchema, ...errorResponses },
      },
    },
    (request, reply) => readJob(ctx, request, reply, request.query.job_id ?? ctx.defaultJobId),
  );

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
      if (problems.length > 0) throw new ApiError(ErrorCode.InvalidRequest, problems.join('; '));
      const job = await ctx.store.create(toJobInput(request.body));
      setJobHeaders(ctx, reply, job);
      reply.header('location', `/jobs/${encodeURIComponent(job.id)}`);
      return reply.code(201).send(job);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { wake?: WakeOn } }>(
    '/jobs/:id',
    {
      ...faults,
      schema: {
        summary: 'One job',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        querystring: { type: 'object', properties: { wake: wakeQuery } },
        headers: waitHeaders,
        response: { 200: jobResourceSchema, ...errorResponses },
      },
    },
    (request, reply) => readJob(ctx, request, reply, request.params.id),
  );

  app.get<{ Querystring: { ids?: string; versions?: string; wake?: WakeOn } }>(
    '/jobs',
    {
      ...faults,
      schema: {
        summary: `Up to ${MAX_BATCH_IDS} jobs at once; Prefer: wait holds until any pending one changes`,
        querystring: {
          type: 'object',
          properties: {
            ids: { type: 'string', description: 'Comma-separated job ids' },
            wake: wakeQuery,
            versions: {
              type: 'string',
              description:
                'With Prefer: wait, the version of each id the client has seen; held only while all match',
            },
          },
        },
        headers: waitHeaders,
        response: { 200: batchResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!ctx.settings.batch) {
        throw new ApiError(
          ErrorCode.RouteNotFound,
          'Batch reads (GET /jobs?ids=) are disabled on this server; read jobs one by one with GET /jobs/:id',
        );
      }
      const ids = parseBatchIds(request.query.ids);
      const seen = parseBatchVersions(request.query.versions, ids.length);
      let jobs = await ctx.store.getMany(ids);
      const wait = appliedWait(ctx, request, reply);
      const pending = jobs.filter((job) => job?.result === 'pending') as JobResource[];
      const wakeOn = request.query.wake ?? 'change';
      // A job that moved past the version the client saw (even to a terminal state) answers at once;
      // with wake=result, any listed job that has already ended does.
      const moved =
        wakeOn === 'result'
          ? jobs.some((job) => job !== undefined && job.result !== 'pending')
          : seen !== undefined &&
            jobs.some((job, i) => job !== undefined && job.version > (seen[i] ?? Infinity));
      if (wait !== undefined && wait > 0 && pending.length > 0 && !moved) {
        const reason = await holdUntilChange(
          ctx,
          clientIdOf(request),
          reply,
          pending.map((job) => job.id),
          pending.map((job) => job.version),
          wait * 1000,
          wakeOn,
          reasonOnly,
        );
        if (reason === 'disconnected') return reply.hijack();
        jobs = await ctx.store.getMany(ids);
      }
      setCapabilityHeaders(ctx, reply);
      return {
        jobs: ids.map((id, i) => {
          const job = jobs[i];
          return job === undefined
            ? { id, error: { code: ErrorCode.JobNotFound, message: ERROR_SPECS.job_not_found.message(id) } }
            : { id, job };
        }),
      };
    },
  );
}
