/**
 * GET /events?ids=a,b,c: one event stream for many jobs. Each listed job's current state comes first,
 * then a `status` event per change (the job's id is in its data); a job the server does not know gets
 * one `missing` event. Each event's id is the version last sent of every job, in the order of `ids`, so
 * a reconnect with `Last-Event-ID` resumes every job at once: a job is sent again only if it has moved
 * past that version, and an ending is never lost or sent twice. The stream ends once every job has
 * ended; `wake=result` leaves out the stage changes in between.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { clientIdOf } from '../http/access.js';
import { EVENT_ROUTE_FAULTS, faultPreHandler } from '../http/fault-hook.js';
import { openEventStream } from '../holds/stream.js';
import type { WakeOn } from '../holds/wake.js';
import { ApiError, ERROR_SPECS, ErrorCode } from '../protocol/errors.js';
import { errorResponses, MAX_BATCH_IDS } from '../protocol/schemas.js';
import { missingEvent, statusEvent, versionsId } from '../protocol/sse.js';
import { parseBatchIds, parseBatchVersions } from './batch.js';
import { wakeQuery } from './wait.js';

export function multiEventRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { ids?: string; versions?: string; wake?: WakeOn } }>(
    '/events',
    {
      ...faultPreHandler(ctx, EVENT_ROUTE_FAULTS),
      schema: {
        summary: `Server-Sent Events for up to ${MAX_BATCH_IDS} jobs at once: each job's state, then a status event per change`,
        querystring: {
          type: 'object',
          properties: {
            ids: { type: 'string', description: 'Comma-separated job ids' },
            versions: {
              type: 'string',
              description: 'The version of each id the client has, in order (Last-Event-ID takes precedence)',
            },
            wake: {
              ...wakeQuery,
              description:
                'What is sent after the first states: every stage or result change (default), or only endings',
            },
          },
        },
        headers: {
          type: 'object',
          properties: {
            'last-event-id': {
              type: 'string',
              description: 'The id of the last event received: the version of each job, comma-separated',
            },
          },
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
      if (!ctx.settings.multiEvents) {
        throw new ApiError(
          ErrorCode.RouteNotFound,
          'Multiplexed event streams are disabled on this server; open GET /jobs/:id/events per job instead',
        );
      }
      const ids = [...new Set(parseBatchIds(request.query.ids))];
      const header = request.headers['last-event-id'];
      const resumeFrom = typeof header === 'string' && header !== '' ? header : request.query.versions;
      const seen = parseBatchVersions(resumeFrom, ids.length) ?? ids.map(() => 0);
      const before = await ctx.store.getMany(ids);
      const done = before.every(
        (job, i) => job === undefined || (job.result !== 'pending' && job.version <= (seen[i] ?? 0)),
      );
      if (done) return reply.code(204).header('cache-control', 'no-store').send();
      const stream = openEventStream(ctx, {
        reply,
        clientId: clientIdOf(request),
        jobs: ids.map((id, i) => ({ id, lastSent: seen[i] ?? 0 })),
        wakeOn: request.query.wake ?? 'change',
        event: (job, sent) => statusEvent(job, versionsId(sent)),
      });
      if (stream === undefined) return reply;
      // Read again after subscribing so no change between the first read and the subscriptions is lost.
      const current = await ctx.store.getMany(ids);
      for (const [i, id] of ids.entries()) {
        const job = current[i] ?? before[i];
        if (job === undefined) stream.missing(id, missingEvent(id, ERROR_SPECS.job_not_found.message(id)));
        else stream.first(job);
      }
      return reply;
    },
  );
}
