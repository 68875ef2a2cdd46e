/**
 * GET /healthz, GET /metrics and GET /openapi.json.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

const health = (status: string) =>
  ({
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: [status] } },
  }) as const;

export function opsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Readiness: 503 while the job store cannot be reached (a Redis store that lost Redis)',
        response: {
          200: health('ok'),
          503: health('unavailable'),
        },
      },
    },
    (_request, reply) =>
      ctx.store.available === false ? reply.code(503).send({ status: 'unavailable' }) : { status: 'ok' },
  );

  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (text format)' } },
    async (_request, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
