/**
 * HeyGen's video translation API as the simulator speaks it: the bodies of `/v2/video_translate` and
 * `/v3/video-translations`, the job each create makes in the shared job model, and the webhook event.
 * Pure. Field names and status words follow HeyGen's public documentation; what it leaves unsaid (the
 * video's length, the file behind the URL) is the simulator's choice, documented in docs/heygen.md.
 */
import type { JobInput, SimulateOptions } from '../domain/plan.js';
import type { JobResource } from './job-resource.js';

/** Simulator-only hooks, accepted beside HeyGen's fields (HeyGen has no such field). */
export interface HeyGenSimulate {
  readonly duration_ms?: number;
  readonly outcome?: 'completed' | 'error';
}

export interface HeyGenV2Body {
  readonly video_url: string;
  readonly output_language: string;
  readonly title?: string;
  readonly callback_id?: string;
  readonly simulate?: HeyGenSimulate;
}

export interface HeyGenV3Body {
  readonly video: { readonly type: 'url' | 'asset_id'; readonly url?: string; readonly asset_id?: string };
  readonly output_languages: readonly string[];
  readonly input_language?: string;
  readonly mode?: 'speed' | 'precision';
  readonly title?: string;
  readonly callback_url?: string;
  readonly callback_id?: string;
  readonly simulate?: HeyGenSimulate;
}

/** HeyGen reads the video's length from the file; the simulator, which fetches nothing, assumes this. */
export const ASSUMED_VIDEO_SECONDS = 60;

/** The most output languages one v3 create may ask for (HeyGen documents no limit; ours bounds work). */
export const MAX_OUTPUT_LANGUAGES = 20;

function simulateOf(simulate: HeyGenSimulate | undefined): SimulateOptions | undefined {
  if (simulate === undefined) return undefined;
  return { durationMs: simulate.duration_ms, outcome: simulate.outcome };
}

/** The job a HeyGen create makes for one output language. `precision` mode is the lip-synced one. */
export function heygenJobInput(
  outputLanguage: string,
  options: {
    inputLanguage?: string | undefined;
    mode?: string | undefined;
    simulate?: HeyGenSimulate | undefined;
  },
): JobInput {
  return {
    sourceLanguage: options.inputLanguage ?? 'auto',
    targetLanguage: outputLanguage,
    videoDurationSeconds: ASSUMED_VIDEO_SECONDS,
    lipSync: options.mode === 'precision',
    simulate: simulateOf(options.simulate),
  };
}

/** HeyGen's four words: queued is `pending`, every later stage `running`. */
function wordOf(job: JobResource, done: 'success' | 'completed'): string {
  if (job.result === 'completed') return done;
  if (job.result === 'error') return 'failed';
  return job.stage === 'queued' ? 'pending' : 'running';
}

/** Where the translated video would be: a reserved `.invalid` host, since no file is made. */
export function videoUrlOf(job: JobResource): string {
  return `https://video.heygen-simulator.invalid/${encodeURIComponent(job.id)}.mp4`;
}

const messageOf = (job: JobResource): string | null =>
  job.result === 'error' ? (job.error?.message ?? 'The translation failed') : null;

/** `GET /v2/video_translate/{id}`: `{"error": null, "data": {…}}`. */
export function heygenV2Status(job: JobResource) {
  return {
    error: null,
    data: {
      video_translate_id: job.id,
      // Not kept by the job model.
      title: null,
      status: wordOf(job, 'success'),
      url: job.result === 'completed' ? videoUrlOf(job) : null,
      message: messageOf(job),
    },
  };
}

/** `GET /v3/video-translations/{id}`: `{"data": {…}}`. */
export function heygenV3Status(job: JobResource) {
  return {
    data: {
      video_translation_id: job.id,
      status: wordOf(job, 'completed'),
      output_language: job.target_language,
      video_url: job.result === 'completed' ? videoUrlOf(job) : null,
      failure_message: messageOf(job),
      created_at: job.created_at,
      updated_at: job.updated_at,
    },
  };
}

/**
 * The webhook event of a finished job, in HeyGen's documented shape: `video_translate.success` with the
 * video's `url`, or `video_translate.fail` with a `message`.
 */
export function heygenEventBody(job: JobResource, callbackId: string | undefined): string {
  const done = job.result === 'completed';
  return JSON.stringify({
    event_type: done ? 'video_translate.success' : 'video_translate.fail',
    event_data: {
      video_translate_id: job.id,
      ...(done ? { url: videoUrlOf(job) } : { message: messageOf(job) }),
      callback_id: callbackId ?? null,
      output_language: job.target_language,
    },
  });
}
