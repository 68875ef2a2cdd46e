/**
 * GET /jobs/:id/events: one `status` event now and one per change, until the job ends.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { clientIdOf } from '../http/access.js';
import { EVENT_ROUTE_FAULTS, faultPreHandler } from '../http/fault-hook.js';
import { openEventStream } from '../holds/stream.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { parseLastEventId } from '../protocol/headers.js';
import { errorResponses } from '../protocol/schemas.js';
import { statusEvent } from '../protocol/sse.js';

export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/jobs/:id/events',
    {
      ...faultPreHandler(ctx, EVENT_ROUTE_FAULTS),
      schema: {
        summary: 'Server-Sent Events: a status event per change of result or stage',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        headers: {
          type: 'object',
          properties: { 'last-event-id': { type: 'string', description: 'Last version seen' } },
        },
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!ctx.settings.events) {
        throw new ApiError(
          ErrorCode.RouteNotFound,
          'Event streams are disabled on this server; poll instead',
        );
      }
      const { id } = request.params;
      const first = await ctx.store.get(id);
      if (first === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
      const lastSent = parseLastEventId(request.headers['last-event-id']) ?? 0;
      if (first.result !== 'pending' && first.version <= lastSent) {
        // The client already has the final state; 204 tells EventSource to stop reconnecting.
        return reply.code(204).header('cache-control', 'no-store').send();
      }
      const stream = openEventStream(ctx, {
        reply,
        clientId: clientIdOf(request),
        jobs: [{ id, lastSent }],
        event: (job) => statusEvent(job),
      });
      if (stream === undefined) return reply;
      // Read again after subscribing so no change between the first read and the subscription is lost.
      const current = await ctx.store.get(id);
      stream.first(current ?? first);
      return reply;
    },
  );
}
