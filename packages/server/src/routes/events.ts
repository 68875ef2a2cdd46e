/**
 * GET /jobs/:id/events: one `status` event now and one per change, until the job ends.
 */
import type { FastifyInstance } from 'fastify';
import { clientIdOf } from '../access.js';
import type { AppContext } from '../context.js';
import { ApiError, ErrorCode } from '../errors.js';
import { EVENT_ROUTE_FAULTS, faultPreHandler } from '../fault-hook.js';
import { parseLastEventId } from '../headers.js';
import type { JobResource } from '../model.js';
import { errorResponses } from '../schemas.js';
import { SECURITY_HEADERS } from '../security-headers.js';
import { SSE_HEARTBEAT, SSE_PREAMBLE, statusEvent } from '../sse.js';

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
      let lastSent = parseLastEventId(request.headers['last-event-id']) ?? 0;
      if (first.result !== 'pending' && first.version <= lastSent) {
        // The client already has the final state; 204 tells EventSource to stop reconnecting.
        return reply.code(204).header('cache-control', 'no-store').send();
      }

      const clientId = clientIdOf(request);
      ctx.holds.acquire(clientId, 'open event streams');
      reply.hijack();
      const res = reply.raw;
      const capabilities = ctx.capabilities;
      // Headers set by hooks (CORS) live on the reply, which is bypassed once hijacked.
      for (const [name, value] of Object.entries({ ...reply.getHeaders(), ...SECURITY_HEADERS })) {
        if (value !== undefined) res.setHeader(name, value);
      }
      if (capabilities !== undefined) res.setHeader('status-capabilities', capabilities);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        // A stream's connection is not reused: when the stream ends, for any reason, the socket goes too,
        // so a half-closed client can never keep a shutting-down server waiting.
        connection: 'close',
      });
      res.write(SSE_PREAMBLE);
      ctx.metrics.openEventStreams.inc();

      const cleanups: (() => void)[] = [];
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        for (const cleanup of cleanups) cleanup();
        ctx.holds.release(clientId);
        ctx.metrics.openEventStreams.dec();
        if (!res.writableEnded) res.end();
      };
      const send = (job: JobResource): void => {
        if (ended || job.version <= lastSent) return;
        lastSent = job.version;
        res.write(statusEvent(job));
        if (job.result !== 'pending') end();
      };
      const beat = (): void => {
        res.write(SSE_HEARTBEAT);
        cancelBeat = ctx.timers.after(ctx.settings.heartbeatMs, beat);
      };
      let cancelBeat = ctx.timers.after(ctx.settings.heartbeatMs, beat);
      cleanups.push(() => {
        cancelBeat();
      });
      cleanups.push(ctx.store.subscribe(id, send));
      res.on('close', end);
      cleanups.push(() => {
        res.off('close', end);
        ctx.closing.remove(end);
      });
      ctx.closing.add(end);
      // A client that left while the job was being read will send no 'close' any more.
      if (res.destroyed) {
        end();
        return reply;
      }

      // Read again after subscribing so no change between the first read and the subscription is lost.
      const current = await ctx.store.get(id);
      send(current ?? first);
      return reply;
    },
  );
}
