/**
 * Answering a read of one job (GET /status, GET /jobs/:id), holding it as `Prefer: wait` asks.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientIdOf } from '../http/access.js';
import type { AppContext } from '../context.js';
import { withJob } from '../domain/read-now.js';
import { holdUntilChange } from '../holds/hold.js';
import type { WakeOn, WakeReason } from '../holds/wake.js';
import { movedPast } from '../holds/wake.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { parseIfNoneMatch } from '../protocol/headers.js';
import type { JobResource } from '../protocol/job-resource.js';
import { setJobHeaders } from './job-headers.js';
import { appliedWait } from './wait.js';

/** What a read of one job answers: the job, or the hijacked reply when the client went away. */
type JobAnswer = JobResource | FastifyReply;

type ReadRequest = FastifyRequest<{ Querystring: { wake?: WakeOn } }>;

/**
 * Reads one job and answers it, holding the request as `Prefer: wait` asks. A plain read from a store
 * that can `peek` is answered synchronously, with no promise at all; only a held read (or a store that
 * must be awaited) returns one.
 */
export function readJob(
  ctx: AppContext,
  request: ReadRequest,
  reply: FastifyReply,
  id: string,
): JobAnswer | PromiseLike<JobAnswer> {
  return withJob(ctx.store, id, (job) => answerOrHold(ctx, request, reply, id, job));
}

function answerOrHold(
  ctx: AppContext,
  request: ReadRequest,
  reply: FastifyReply,
  id: string,
  job: JobResource | undefined,
): JobAnswer | Promise<JobAnswer> {
  if (job === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
  const wakeOn = request.query.wake ?? 'change';
  const wait = appliedWait(ctx, request, reply, wakeOn);
  if (wait === undefined || wait === 0 || job.result !== 'pending') return answerJob(ctx, reply, job);
  const seen = parseIfNoneMatch(request.headers['if-none-match']) ?? job.version;
  if (movedPast(job, seen, wakeOn)) return answerJob(ctx, reply, job);
  // Ten thousand of these may be held at once: what the hold keeps is the id, never the job read here.
  return holdUntilChange(ctx, {
    reply,
    clientId: clientIdOf(request),
    ids: [id],
    seenVersions: [job.version],
    wakeOn,
    timeoutMs: wait * 1000,
    after: answerAfterHold,
  });
}

/**
 * Once a hold on one job ends: the job that changed, as the store just told it (with a networked store a
 * second read would cost every woken waiter a round trip); else the job as it is now; or the hijacked
 * reply when the client went away.
 */
function answerAfterHold(
  ctx: AppContext,
  reply: FastifyReply,
  ids: readonly string[],
  reason: WakeReason,
  changed: JobResource | undefined,
): JobAnswer | PromiseLike<JobAnswer> {
  if (reason === 'disconnected') return reply.hijack();
  if (changed !== undefined) return answerJob(ctx, reply, changed);
  const id = ids[0] ?? '';
  return withJob(ctx.store, id, (job) => {
    if (job === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
    return answerJob(ctx, reply, job, reason === 'shutdown');
  });
}

/** Sets the job's headers and returns it; `released` as in `setJobHeaders`. */
export function answerJob(
  ctx: AppContext,
  reply: FastifyReply,
  job: JobResource,
  released = false,
): JobResource {
  setJobHeaders(ctx, reply, job, released);
  return job;
}
