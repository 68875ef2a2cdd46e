/**
 * GET /healthz, GET /metrics and GET /openapi.json.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

export function opsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        response: {
          200: {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['ok'] } },
          },
        },
      },
    },
    () => ({ status: 'ok' }),
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
