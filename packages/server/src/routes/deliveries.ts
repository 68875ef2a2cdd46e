/**
 * GET /jobs/:id/deliveries: every webhook delivery of a job and each of its attempts, for debugging a
 * receiver.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { deliveriesResponseSchema, errorResponses } from '../protocol/schemas.js';

export function deliveryRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/jobs/:id/deliveries',
    {
      schema: {
        summary: "The job's webhook deliveries and their attempts (empty without a callback_url)",
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 200: deliveriesResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = request.params.id;
      if ((await ctx.store.get(id)) === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
      return { deliveries: await ctx.webhooks.deliveriesOf(id) };
    },
  );
}
