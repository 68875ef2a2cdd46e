/**
 * HeyGen's current video translation API: `POST /v3/video-translations` (with an optional
 * `Idempotency-Key`) answers `{"data": {"video_translation_ids": [...]}}`, one id per output language;
 * `GET /v3/video-translations/{id}` answers `{"data": {status, video_url, failure_message, …}}` with
 * `status` one of `pending`, `running`, `completed`, `failed`
 * (developers.heygen.com/reference/create-video-translation).
 */
import type { ConfigurationErrorFields } from '../../errors/index.js';
import type { ProtocolAdapter } from '../adapter.js';
import { isRecord } from '../status.js';
import { checkTextFields, createdStatus, dataOf, jobPath, readHeyGenStatus } from './envelope.js';
import type { HeyGenV3Input } from './inputs.js';

const MODES = ['speed', 'precision'];

function checkV3Input(input: unknown): readonly ConfigurationErrorFields[] {
  const checked = checkTextFields(input, [], ['title', 'callback_url', 'callback_id']);
  const given = checked.input;
  if (given === undefined) return checked.issues;
  const issues = [...checked.issues];
  const video = given['video'];
  const url = isRecord(video) ? video[video['type'] === 'asset_id' ? 'asset_id' : 'url'] : undefined;
  if (!isRecord(video) || !['url', 'asset_id'].includes(video['type'] as string) || typeof url !== 'string') {
    issues.push({
      option: 'input.video',
      value: video,
      expected: "{ type: 'url', url } or { type: 'asset_id', asset_id }",
    });
  }
  const languages = given['output_languages'];
  if (!Array.isArray(languages) || languages.length === 0 || !languages.every((l) => typeof l === 'string')) {
    issues.push({
      option: 'input.output_languages',
      value: languages,
      expected: "a non-empty array of language names, e.g. ['Spanish (Spain)']",
    });
  }
  const mode = given['mode'];
  if (mode !== undefined && !MODES.includes(mode as string)) {
    issues.push({ option: 'input.mode', value: mode, expected: "'speed' or 'precision'" });
  }
  return issues;
}

export const heygenV3: ProtocolAdapter<HeyGenV3Input> = {
  name: 'heygen-v3',
  extensions: false,
  apiKeyHeader: 'x-api-key',
  statusUrl: (baseUrl, jobId) => jobPath(baseUrl, 'v3/video-translations', jobId),
  readStatus: (body) =>
    readHeyGenStatus(body, {
      id: ['video_translation_id', 'id'],
      done: 'completed',
      url: 'video_url',
      message: 'failure_message',
    }),
  checkInput: checkV3Input,
  createRequest: (baseUrl, input) => ({
    url: new URL('v3/video-translations', baseUrl).href,
    body: JSON.stringify(input),
    idempotent: true,
  }),
  readCreated(body, _location, baseUrl) {
    const found = dataOf(body);
    if (!found.ok) return found;
    const ids: unknown = found.data['video_translation_ids'];
    const [first, ...rest] = Array.isArray(ids) ? (ids as unknown[]) : [];
    if (
      typeof first !== 'string' ||
      first === '' ||
      !rest.every((id) => typeof id === 'string' && id !== '')
    ) {
      return { ok: false, problem: "'data.video_translation_ids' is not a non-empty array of ids" };
    }
    return {
      ok: true,
      ids: [first, ...(rest as string[])],
      url: heygenV3.statusUrl(baseUrl, first),
      status: createdStatus(first, found.data),
    };
  },
};
