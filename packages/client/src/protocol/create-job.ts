/** The body of `POST /jobs`: the library's camelCase input in the protocol's snake_case. */

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
