import { formatDuration, type ErrorContext } from './context.js';
import type { JobStatus } from '../protocol/status.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface WaitTimeoutErrorFields extends ErrorContext {
  readonly timeoutMs: number;
  readonly lastStatus?: JobStatus | undefined;
}

/** The wait's own time limit passed while the job was still pending. The job itself may still finish. */
export class WaitTimeoutError extends TranslationStatusError {
  override readonly name = 'WaitTimeoutError';
  declare readonly timeoutMs: number;
  declare readonly lastStatus: JobStatus | undefined;

  constructor(fields: WaitTimeoutErrorFields) {
    const stage = fields.lastStatus?.stage;
    super(
      'wait_timeout',
      `The job was still pending${stage === undefined ? '' : ` (stage ${stage})`} when the wait's timeout of ${formatDuration(fields.timeoutMs)} passed`,
      { ...fields, jobId: fields.jobId ?? fields.lastStatus?.jobId },
      'The job may still finish: wait again, or raise timeoutMs.',
    );
  }
}
