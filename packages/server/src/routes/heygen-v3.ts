/**
 * HeyGen v3: `POST /v3/video-translations` (optional `Idempotency-Key`) → `{"data":
 * {"video_translation_ids": [...]}}`, one job per output language; `GET /v3/video-translations/{id}` →
 * `{"data": {status, video_url, failure_message, …}}`. A `callback_url` gets HeyGen's
 * `video_translate.success` / `.fail` event, signed as this server signs its own webhooks.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import {
  heygenJobInput,
  heygenV3Status,
  MAX_OUTPUT_LANGUAGES,
  type HeyGenV3Body,
} from '../protocol/heygen.js';
import { errorResponses } from '../protocol/schemas.js';
import { checkCallback, type Callback } from '../webhooks/callback.js';
import { heygenStatusRoute, nullableText, simulateSchema, text } from './heygen-shared.js';
import type { HeyGenShared } from './heygen.js';

/** HeyGen's documented key syntax. */
const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{1,255}$/;

function keyOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && KEY_PATTERN.test(value)) return value;
  throw new ApiError(
    ErrorCode.InvalidRequest,
    'header Idempotency-Key must be 1 to 255 of A-Z a-z 0-9 _ - : .',
  );
}

function callbackOf(ctx: AppContext, body: HeyGenV3Body): Callback | undefined {
  if (body.callback_url === undefined) return undefined;
  if (ctx.settings.webhookSecrets.length === 0) {
    throw new ApiError(
      ErrorCode.InvalidRequest,
      'body.callback_url cannot be honoured: this server sends no webhooks (start it with --webhook-secret)',
    );
  }
  const check = checkCallback(body.callback_url, undefined, ctx.settings.webhookAllowHosts);
  if (!check.ok) throw new ApiError(ErrorCode.InvalidRequest, `body.${check.field} ${check.problem}`);
  return { ...check.callback, shape: { api: 'heygen', callbackId: body.callback_id } };
}

export function heygenV3Routes(app: FastifyInstance, ctx: AppContext, shared: HeyGenShared): void {
  app.post<{ Body: HeyGenV3Body }>(
    '/v3/video-translations',
    {
      schema: {
        summary: 'HeyGen v3: translate a video into one or more languages (one job each)',
        tags: ['heygen'],
        headers: {
          type: 'object',
          properties: {
            'idempotency-key': {
              type: 'string',
              description: 'A retry with the same key within 24 h answers the first request’s ids',
            },
          },
        },
        body: {
          type: 'object',
          required: ['video', 'output_languages'],
          // HeyGen's other fields (enable_caption, speaker_num, …) are accepted and not modelled.
          additionalProperties: true,
          properties: {
            video: {
              type: 'object',
              required: ['type'],
              properties: {
                type: { type: 'string', enum: ['url', 'asset_id'] },
                url: text,
                asset_id: text,
              },
            },
            output_languages: { type: 'array', minItems: 1, maxItems: MAX_OUTPUT_LANGUAGES, items: text },
            input_language: text,
            mode: { type: 'string', enum: ['speed', 'precision'] },
            title: { type: 'string' },
            callback_url: text,
            callback_id: { type: 'string', maxLength: 255 },
            simulate: simulateSchema,
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              data: {
                type: 'object',
                properties: { video_translation_ids: { type: 'array', items: { type: 'string' } } },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const source = body.video.type === 'url' ? body.video.url : body.video.asset_id;
      if (source === undefined) {
        throw new ApiError(ErrorCode.InvalidRequest, `body.video needs ${body.video.type} beside its type`);
      }
      const key = keyOf(request.headers['idempotency-key']);
      const options = { inputLanguage: body.input_language, mode: body.mode, simulate: body.simulate };
      const ids = await shared.create(request, {
        inputs: body.output_languages.map((language) => heygenJobInput(language, options)),
        callback: callbackOf(ctx, body),
        key,
      });
      return { data: { video_translation_ids: ids } };
    },
  );

  heygenStatusRoute(app, ctx, shared, {
    url: '/v3/video-translations',
    summary: 'HeyGen v3: a translation status (pending, running, completed, failed)',
    schema: v3StatusSchema,
    render: heygenV3Status,
  });
}

const v3StatusSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        video_translation_id: { type: 'string' },
        status: { type: 'string', enum: ['pending', 'running', 'completed', 'failed'] },
        output_language: { type: 'string' },
        video_url: nullableText,
        failure_message: nullableText,
        created_at: { type: 'string' },
        updated_at: { type: 'string' },
      },
    },
  },
} as const;
