/**
 * A token bucket shared by every wait of one client: each retry spends tokens, each success earns one
 * back. When a server is failing for everyone, retries stop after the bucket drains instead of
 * multiplying the load (the retry storm), while an occasional blip is still retried.
 */
import { DEFAULTS } from '../options/defaults.js';
import type { RequestFailure } from './failure.js';

export interface RetryBudgetOptions {
  /** Tokens when full. @default 500 */
  readonly capacity: number;
  /** Tokens one retry costs. @default 5 */
  readonly retryCost: number;
  /** Tokens a retry after a timeout costs: a timeout ties up the server longer. @default 10 */
  readonly timeoutCost: number;
  /** Tokens a successful request gives back. @default 1 */
  readonly successRefill: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = DEFAULTS.retryBudget;

export class RetryBudget {
  readonly options: RetryBudgetOptions;
  private tokens: number;

  constructor(options: Partial<RetryBudgetOptions> = {}) {
    this.options = { ...DEFAULT_RETRY_BUDGET, ...options };
    this.tokens = this.options.capacity;
  }

  /** Tokens left. */
  get available(): number {
    return this.tokens;
  }

  /** What retrying after `failure` costs. */
  costOf(failure: Pick<RequestFailure, 'kind'>): number {
    return failure.kind === 'timeout' ? this.options.timeoutCost : this.options.retryCost;
  }

  /** Spends the cost of one retry if the bucket holds it; false (and nothing spent) otherwise. */
  tryAcquire(failure: Pick<RequestFailure, 'kind'>): boolean {
    const cost = this.costOf(failure);
    if (cost > this.tokens) return false;
    this.tokens -= cost;
    return true;
  }

  recordSuccess(): void {
    this.tokens = Math.min(this.options.capacity, this.tokens + this.options.successRefill);
  }
}
