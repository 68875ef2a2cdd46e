import type { ErrorContext } from './context.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface RetriesExhaustedErrorFields extends ErrorContext {
  readonly maxRetries: number;
}

/** Transient failures kept coming after `maxRetries` retries in a row; `cause` is the last one. */
export class RetriesExhaustedError extends TranslationStatusError {
  override readonly name = 'RetriesExhaustedError';
  declare readonly maxRetries: number;

  constructor(fields: RetriesExhaustedErrorFields) {
    const last = fields.cause instanceof Error ? `; the last failure: ${fields.cause.message}` : '';
    super(
      'retries_exhausted',
      `Gave up after ${fields.maxRetries} retries in a row${last}`,
      fields,
      'The server may be down: try again later, or raise retry.maxRetries.',
    );
  }
}
