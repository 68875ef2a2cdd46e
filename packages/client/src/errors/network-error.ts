import type { ErrorContext } from './context.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface NetworkErrorFields extends ErrorContext {
  readonly url: string;
}

/** The request never got an answer: DNS, refused or reset connection, a body cut short. */
export class NetworkError extends TranslationStatusError {
  override readonly name = 'NetworkError';
  declare readonly url: string;

  constructor(fields: NetworkErrorFields) {
    const reason = fields.cause instanceof Error ? `: ${fields.cause.message}` : '';
    super(
      'network_error',
      `The request to ${fields.url} failed${reason}`,
      fields,
      'Check that the server is reachable at the baseUrl option.',
    );
  }
}
