/**
 * The bodies HeyGen's create endpoints take, in HeyGen's own field names so its documentation can be
 * followed as written. The fields listed are the ones the adapters check; any other documented field
 * (`translate_audio_only`, `speaker_num`, `enable_caption`, …) is sent as given.
 */

/** `POST /v2/video_translate` (legacy; HeyGen serves v2 until 31 October 2026). */
export interface HeyGenV2Input {
  /** A public URL of the video to translate. */
  readonly video_url: string;
  /** The language to translate into, as HeyGen names it, e.g. `Spanish`. */
  readonly output_language: string;
  readonly title?: string;
  /** Returned in the webhook event, to match it to your own record. */
  readonly callback_id?: string;
  readonly [field: string]: unknown;
}

/** `POST /v3/video-translations`: one job per output language. */
export interface HeyGenV3Input {
  readonly video:
    { readonly type: 'url'; readonly url: string } | { readonly type: 'asset_id'; readonly asset_id: string };
  /** At least one language, as HeyGen names them, e.g. `Spanish (Spain)`. */
  readonly output_languages: readonly string[];
  /** @default 'speed' (HeyGen's side) */
  readonly mode?: 'speed' | 'precision';
  readonly title?: string;
  /** Where HeyGen posts the `video_translate.success` / `.fail` event. */
  readonly callback_url?: string;
  readonly callback_id?: string;
  readonly [field: string]: unknown;
}
