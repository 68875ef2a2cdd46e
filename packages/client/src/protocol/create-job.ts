/**
 * `POST /jobs`: the library's camelCase input in the protocol's snake_case, and the idempotency key that
 * makes a retried create safe.
 */

/** What to translate. */
export interface CreateJobInput {
  /** BCP 47 language code of the video, e.g. `en`. */
  readonly sourceLanguage: string;
  /** BCP 47 language code to translate into, e.g. `es`. */
  readonly targetLanguage: string;
  /** Length of the video in seconds (> 0). */
  readonly videoDurationSeconds: number;
  /** Keep the speakers' lips in sync with the new voice. @default true (server side) */
  readonly lipSync?: boolean;
  /** Test and demo hooks understood by the simulated server. */
  readonly simulate?: {
    readonly durationMs?: number;
    readonly outcome?: 'completed' | 'error';
    readonly errorCode?: string;
  };
}

/** The JSON body that creates the job `input` describes. */
export function createJobBody(input: CreateJobInput): string {
  return JSON.stringify({
    source_language: input.sourceLanguage,
    target_language: input.targetLanguage,
    video_duration_seconds: input.videoDurationSeconds,
    ...(input.lipSync === undefined ? {} : { lip_sync: input.lipSync }),
    ...(input.simulate === undefined
      ? {}
      : {
          simulate: {
            ...(input.simulate.durationMs === undefined ? {} : { duration_ms: input.simulate.durationMs }),
            ...(input.simulate.outcome === undefined ? {} : { outcome: input.simulate.outcome }),
            ...(input.simulate.errorCode === undefined ? {} : { error_code: input.simulate.errorCode }),
          },
        }),
  });
}

/**
 * A fresh `Idempotency-Key`: 128 random bits as hex, from `crypto.getRandomValues` (which, unlike
 * `randomUUID`, browsers offer outside secure contexts too). One per `createJob` call, reused by its
 * retries, so a create whose answer was lost is answered by the job it made rather than a second one.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
