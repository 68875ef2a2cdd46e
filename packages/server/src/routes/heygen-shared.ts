/** What the two HeyGen versions' routes share: schemas, and the status route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { faultPreHandler, STATUS_ROUTE_FAULTS } from '../http/fault-hook.js';
import type { JobResource } from '../protocol/job-resource.js';
import { errorResponses } from '../protocol/schemas.js';
import type { HeyGenShared } from './heygen.js';

export const text = { type: 'string', minLength: 1, maxLength: 2048 } as const;

/** Simulator-only: HeyGen has no such field. */
export const simulateSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Simulator only (not HeyGen): the processing time and the outcome of the job',
  properties: {
    duration_ms: { type: 'integer', minimum: 0, maximum: 86_400_000 },
    outcome: { type: 'string', enum: ['completed', 'error'] },
  },
} as const;

export const nullableText = { type: 'string', nullable: true } as const;

/** `GET <url>/:id`: a job in one version's body, with the status routes' faults. */
export function heygenStatusRoute(
  app: FastifyInstance,
  ctx: AppContext,
  shared: HeyGenShared,
  route: { url: string; summary: string; schema: object; render: (job: JobResource) => unknown },
): void {
  app.get<{ Params: { id: string } }>(
    `${route.url}/:id`,
    {
      ...faultPreHandler(ctx, STATUS_ROUTE_FAULTS),
      schema: {
        summary: route.summary,
        tags: ['heygen'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 200: route.schema, ...errorResponses },
      },
    },
    async (request) => route.render(await shared.job(request.params.id)),
  );
}
