/**
 * DELETE /jobs/:id: cancel a pending job. Idempotent: canceling a canceled job answers it again.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { cancelErrorResponses, jobResourceSchema } from '../protocol/schemas.js';
import { setJobHeaders } from './job-headers.js';

export function cancelRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/jobs/:id',
    {
      schema: {
        summary: 'Cancel a pending job: it ends in error with code canceled (repeating it is harmless)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 200: jobResourceSchema, ...cancelErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const canceled = await ctx.store.cancel(id);
      if (canceled === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
      const { outcome, job } = canceled;
      if (outcome === 'finished') {
        throw new ApiError(
          ErrorCode.JobFinished,
          `Job '${id}' has already ${job.result === 'completed' ? 'completed' : 'failed'}`,
        );
      }
      setJobHeaders(ctx, reply, job);
      return job;
    },
  );
}
