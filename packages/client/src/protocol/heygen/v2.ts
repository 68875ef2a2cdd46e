/**
 * HeyGen's legacy video translation API: `POST /v2/video_translate` answers
 * `{"error": null, "data": {"video_translate_id"}}`; `GET /v2/video_translate/{id}` answers
 * `{"error": null, "data": {video_translate_id, title, status, url, message}}` with `status` one of
 * `pending`, `running`, `success`, `failed` (docs.heygen.com/reference/video-translate-status).
 */
import type { ProtocolAdapter } from '../adapter.js';
import { checkTextFields, createdStatus, dataOf, jobPath, readHeyGenStatus, text } from './envelope.js';
import type { HeyGenV2Input } from './inputs.js';

export const heygenV2: ProtocolAdapter<HeyGenV2Input> = {
  name: 'heygen-v2',
  extensions: false,
  apiKeyHeader: 'x-api-key',
  statusUrl: (baseUrl, jobId) => jobPath(baseUrl, 'v2/video_translate', jobId),
  readStatus: (body) =>
    readHeyGenStatus(body, { id: ['video_translate_id'], done: 'success', url: 'url', message: 'message' }),
  checkInput: (input) =>
    checkTextFields(input, ['video_url', 'output_language'], ['title', 'callback_id']).issues,
  createRequest: (baseUrl, input) => ({
    url: new URL('v2/video_translate', baseUrl).href,
    body: JSON.stringify(input),
    // HeyGen documents no idempotency key for v2: a create whose answer was lost is not sent again.
    idempotent: false,
  }),
  readCreated(body, _location, baseUrl) {
    const found = dataOf(body);
    if (!found.ok) return found;
    const id = text(found.data, 'video_translate_id');
    if (id === undefined) return { ok: false, problem: "the answer has no 'data.video_translate_id'" };
    return {
      ok: true,
      ids: [id],
      url: heygenV2.statusUrl(baseUrl, id),
      status: createdStatus(id, found.data),
    };
  },
};
