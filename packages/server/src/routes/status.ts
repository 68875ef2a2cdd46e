/**
 * GET /status (the default job, or any with job_id) and GET /jobs/:id.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { faultPreHandler, STATUS_ROUTE_FAULTS } from '../http/fault-hook.js';
import type { WakeOn } from '../holds/wake.js';
import { errorResponses, jobResourceSchema } from '../protocol/schemas.js';
import { readJob } from './read-job.js';
import { waitHeaders, wakeQuery } from './wait.js';

export function statusRoutes(app: FastifyInstance, ctx: AppContext): void {
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
}
