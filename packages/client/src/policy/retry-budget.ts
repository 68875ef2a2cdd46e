/**
 * A token bucket shared by every wait of one client: each retry spends tokens, each success earns one
 * back. When a server is failing for everyone, retries stop after the bucket drains instead of
 * multiplying the load (the retry storm), while blips, even frequent ones, are still retried: at the
 * defaults the bucket holds steady while fewer than half the requests fail (a third, if they time out).
 */
import { DEFAULTS } from '../options/defaults.js';
import type { RequestFailure } from './failure.js';

export interface RetryBudgetOptions {
  /** Tokens when full. @default 100 */
  readonly capacity: number;
  /** Tokens one retry costs. @default 1 */
  readonly retryCost: number;
  /** Tokens a retry after a timeout costs: a timeout ties up the server longer. @default 2 */
  readonly timeoutCost: number;
  /** Tokens a successful request gives back. @default 1 */
  readonly successRefill: number;
  /**
   * Retries per second allowed even when the bucket is dry, so a burst of failures (many waits
   * starting at once on a busy machine) cannot leave every wait probing at the slowest pace, while a
   * dead server still sees only a trickle. 0 for none. @default 10
   */
  readonly reservePerSecond: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = DEFAULTS.retryBudget;

export class RetryBudget {
  readonly options: RetryBudgetOptions;
  private tokens: number;
  /** The reserve: up to one second's worth of retries, refilled continuously. */
  private reserve: number;
  private reserveAt: number | undefined;

  constructor(options: Partial<RetryBudgetOptions> = {}) {
    this.options = { ...DEFAULT_RETRY_BUDGET, ...options };
    this.tokens = this.options.capacity;
    this.reserve = this.options.reservePerSecond;
  }

  /** Tokens left. */
  get available(): number {
    return this.tokens;
  }

  /** What retrying after `failure` costs. */
  costOf(failure: Pick<RequestFailure, 'kind'>): number {
    return failure.kind === 'timeout' ? this.options.timeoutCost : this.options.retryCost;
  }

  /**
   * Spends the cost of one retry if the bucket holds it, else one retry of the reserve (when `nowMs` is
   * given, to refill it); false (and nothing spent) when neither can pay.
   */
  tryAcquire(failure: Pick<RequestFailure, 'kind'>, nowMs?: number): boolean {
    const cost = this.costOf(failure);
    if (cost <= this.tokens) {
      this.tokens -= cost;
      return true;
    }
    if (nowMs === undefined || !Number.isFinite(nowMs)) return false;
    const perSecond = this.options.reservePerSecond;
    const since = this.reserveAt === undefined ? 0 : Math.max(0, nowMs - this.reserveAt);
    this.reserve = Math.min(perSecond, this.reserve + (since / 1000) * perSecond);
    this.reserveAt = nowMs;
    if (this.reserve < 1) return false;
    this.reserve -= 1;
    return true;
  }

  recordSuccess(): void {
    this.tokens = Math.min(this.options.capacity, this.tokens + this.options.successRefill);
  }
}
