/**
 * GET /jobs?ids=: up to a hundred jobs in one read, held as `Prefer: wait` asks until any pending one
 * changes. Without `ids`, GET /jobs lists the newest jobs (what the dashboard starts from).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { faultPreHandler, STATUS_ROUTE_FAULTS } from '../http/fault-hook.js';
import { clientIdOf } from '../http/access.js';
import type { AfterHold } from '../holds/hold.js';
import { holdUntilChange } from '../holds/hold.js';
import type { WakeOn, WakeReason } from '../holds/wake.js';
import { movedPast } from '../holds/wake.js';
import { ApiError, ERROR_SPECS, ErrorCode } from '../protocol/errors.js';
import type { JobResult } from '../domain/plan.js';
import type { JobResource } from '../protocol/job-resource.js';
import { batchResponseSchema, errorResponses, MAX_BATCH_IDS } from '../protocol/schemas.js';
import { setCapabilityHeaders } from './job-headers.js';
import { appliedWait, waitHeaders, wakeQuery } from './wait.js';

/** The hold's answer is only the reason it ended: the route reads the jobs again itself. */
const reasonOnly: AfterHold<WakeReason> = (_ctx, _reply, _ids, reason) => reason;

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

/** Jobs a list answers when no `limit` is given, and at most. */
export const LIST_LIMIT = { default: 20, max: MAX_BATCH_IDS } as const;

/** Reads `limit` (a whole number from 1 to the maximum); throws invalid_request naming the problem. */
export function parseListLimit(raw: string | undefined): number {
  if (raw === undefined) return LIST_LIMIT.default;
  const limit = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= LIST_LIMIT.max)) {
    throw new ApiError(
      ErrorCode.InvalidRequest,
      `query.limit must be a whole number from 1 to ${LIST_LIMIT.max}, got '${raw.slice(0, 20)}'`,
    );
  }
  return limit;
}

export function batchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const faults = faultPreHandler(ctx, STATUS_ROUTE_FAULTS);

  app.get<{
    Querystring: { ids?: string; versions?: string; wake?: WakeOn; limit?: string; result?: JobResult };
  }>(
    '/jobs',
    {
      ...faults,
      schema: {
        summary:
          `Up to ${MAX_BATCH_IDS} jobs by id (Prefer: wait holds until any pending one changes); ` +
          'without ids, the newest jobs',
        querystring: {
          type: 'object',
          properties: {
            ids: { type: 'string', description: 'Comma-separated job ids' },
            limit: {
              type: 'string',
              description: `Without ids: how many of the newest jobs, 1 to ${LIST_LIMIT.max} (default ${LIST_LIMIT.default})`,
            },
            result: {
              type: 'string',
              enum: ['pending', 'completed', 'error'],
              description: 'Without ids: only jobs with this result',
            },
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
      const { ids: rawIds, limit, result } = request.query;
      if (rawIds === undefined) {
        const newest = await ctx.store.list({
          limit: parseListLimit(limit),
          ...(result === undefined ? {} : { result }),
        });
        setCapabilityHeaders(ctx, reply);
        return { jobs: newest.map((job) => ({ id: job.id, job })) };
      }
      if (limit !== undefined || result !== undefined) {
        throw new ApiError(
          ErrorCode.InvalidRequest,
          'query.limit and query.result list the newest jobs; they cannot be combined with query.ids',
        );
      }
      if (!ctx.settings.batch) {
        throw new ApiError(
          ErrorCode.RouteNotFound,
          'Batch reads (GET /jobs?ids=) are disabled on this server; read jobs one by one with GET /jobs/:id',
        );
      }
      const ids = parseBatchIds(rawIds);
      const seen = parseBatchVersions(request.query.versions, ids.length);
      let jobs = await ctx.store.getMany(ids);
      const wakeOn = request.query.wake ?? 'change';
      const wait = appliedWait(ctx, request, reply, wakeOn);
      const pending = jobs.filter((job) => job?.result === 'pending') as JobResource[];
      // A job that moved past the version the client saw (even to a terminal state) answers at once;
      // with wake=result, any listed job that has already ended does.
      const moved = jobs.some(
        (job, i) => job !== undefined && movedPast(job, seen?.[i] ?? job.version, wakeOn),
      );
      if (wait !== undefined && wait > 0 && pending.length > 0 && !moved) {
        const reason = await holdUntilChange(ctx, {
          reply,
          clientId: clientIdOf(request),
          ids: pending.map((job) => job.id),
          seenVersions: pending.map((job) => job.version),
          wakeOn,
          timeoutMs: wait * 1000,
          after: reasonOnly,
        });
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
