import type { JobStatus } from '../protocol/status.js';
import type { ErrorContext } from './context.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface JobFailedErrorFields extends ErrorContext {
  /** The final status, whose `result` is `error`. */
  readonly status: JobStatus;
}

/** The job itself ended in error: the wait worked, the translation did not. Not worth retrying the wait. */
export class JobFailedError extends TranslationStatusError {
  override readonly name = 'JobFailedError';
  declare readonly status: JobStatus;
  /** The server's code for the failure, e.g. `lip_sync_failed` (`unknown_error` if it gave none). */
  readonly jobErrorCode: string;
  readonly jobErrorMessage: string;

  constructor(fields: JobFailedErrorFields) {
    const jobError = fields.status.error ?? { code: 'unknown_error', message: 'the server gave no reason' };
    super(
      'job_failed',
      `The job failed with ${jobError.code}: ${jobError.message}`,
      { ...fields, jobId: fields.jobId ?? fields.status.jobId },
      'Check the job input, or submit it again.',
    );
    this.jobErrorCode = jobError.code;
    this.jobErrorMessage = jobError.message;
  }
}
