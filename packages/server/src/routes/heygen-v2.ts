/**
 * HeyGen v2 (legacy): `POST /v2/video_translate` → `{"error": null, "data": {"video_translate_id"}}`,
 * `GET /v2/video_translate/{id}` → `{"error": null, "data": {video_translate_id, title, status, url,
 * message}}`. v2 has no per-request callback URL (HeyGen registers webhook endpoints per account).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { heygenJobInput, heygenV2Status, type HeyGenV2Body } from '../protocol/heygen.js';
import { errorResponses } from '../protocol/schemas.js';
import { heygenStatusRoute, nullableText, simulateSchema, text } from './heygen-shared.js';
import type { HeyGenShared } from './heygen.js';

export function heygenV2Routes(app: FastifyInstance, ctx: AppContext, shared: HeyGenShared): void {
  app.post<{ Body: HeyGenV2Body }>(
    '/v2/video_translate',
    {
      schema: {
        summary: 'HeyGen v2: translate a video into one language',
        tags: ['heygen'],
        body: {
          type: 'object',
          required: ['video_url', 'output_language'],
          // HeyGen's other fields (translate_audio_only, speaker_num, …) are accepted and not modelled.
          additionalProperties: true,
          properties: {
            video_url: text,
            output_language: text,
            title: { type: 'string' },
            callback_id: { type: 'string' },
            simulate: simulateSchema,
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              error: { type: 'null' },
              data: { type: 'object', properties: { video_translate_id: { type: 'string' } } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const [id] = await shared.create(request, {
        inputs: [heygenJobInput(body.output_language, { simulate: body.simulate })],
      });
      return { error: null, data: { video_translate_id: id } };
    },
  );

  heygenStatusRoute(app, ctx, shared, {
    url: '/v2/video_translate',
    summary: 'HeyGen v2: a translation status (pending, running, success, failed)',
    schema: v2StatusSchema,
    render: heygenV2Status,
  });
}

const v2StatusSchema = {
  type: 'object',
  properties: {
    error: { type: 'null' },
    data: {
      type: 'object',
      properties: {
        video_translate_id: { type: 'string' },
        title: nullableText,
        status: { type: 'string', enum: ['pending', 'running', 'success', 'failed'] },
        url: nullableText,
        message: nullableText,
      },
    },
  },
} as const;
