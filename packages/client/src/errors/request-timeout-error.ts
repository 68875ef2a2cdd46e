import { formatDuration, type ErrorContext } from './context.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface RequestTimeoutErrorFields extends ErrorContext {
  readonly url: string;
  readonly timeoutMs: number;
}

/** One request took longer than `requestTimeoutMs` (the wait as a whole has its own timeout). */
export class RequestTimeoutError extends TranslationStatusError {
  override readonly name = 'RequestTimeoutError';
  declare readonly url: string;
  declare readonly timeoutMs: number;

  constructor(fields: RequestTimeoutErrorFields) {
    super(
      'request_timeout',
      `The request to ${fields.url} got no answer within ${formatDuration(fields.timeoutMs)}`,
      fields,
      'Raise requestTimeoutMs if the server is slow.',
    );
  }
}
