import type { ErrorContext } from './context.js';
import { TranslationStatusError } from './translation-status-error.js';

/**
 * The client's shared retry budget is spent: so many requests failed lately, across all waits, that
 * retrying more would only add load to a struggling server. `cause` is the failure not retried.
 */
export class RetryBudgetExhaustedError extends TranslationStatusError {
  constructor(fields: ErrorContext) {
    const last = fields.cause instanceof Error ? `; the failure not retried: ${fields.cause.message}` : '';
    super(
      'retry_budget_exhausted',
      `Not retrying: the client's retry budget is spent${last}`,
      fields,
      'The budget refills as requests succeed; try again later, or raise retry.budget.capacity.',
    );
  }
}
