/**
 * The create form's values as the client library's `createJob` input. Pure. The page checks nothing
 * itself: the server's rules are the only rules, and its messages are shown beside the fields.
 */
import type { CreateJobInput } from '@translation-status/client';

/** The form's raw values, as the inputs hold them. */
export interface FormValues {
  readonly sourceLanguage: string;
  readonly targetLanguage: string;
  readonly videoDurationSeconds: string;
  readonly lipSync: boolean;
  /** Empty: the server models the time from the video's length. */
  readonly durationMs: string;
  /** Empty: the server's error rate decides. */
  readonly outcome: string;
  /** Empty: none (a failure, if any, is drawn by the server). */
  readonly errorCode: string;
}

/**
 * An empty or unreadable number becomes NaN, which JSON sends as `null`, so the server names the field
 * ("must be a number") instead of the page guessing a value.
 */
function numberOf(raw: string): number {
  const trimmed = raw.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

const OUTCOMES = ['completed', 'error'] as const;

export function toCreateJobInput(values: FormValues): CreateJobInput {
  const duration = values.durationMs.trim();
  const outcome = OUTCOMES.find((known) => known === values.outcome);
  const simulate = {
    ...(duration === '' ? {} : { durationMs: numberOf(duration) }),
    ...(outcome === undefined ? {} : { outcome }),
    ...(values.errorCode === '' ? {} : { errorCode: values.errorCode }),
  };
  return {
    sourceLanguage: values.sourceLanguage.trim(),
    targetLanguage: values.targetLanguage.trim(),
    videoDurationSeconds: numberOf(values.videoDurationSeconds),
    lipSync: values.lipSync,
    ...(Object.keys(simulate).length === 0 ? {} : { simulate }),
  };
}
