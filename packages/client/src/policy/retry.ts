/**
 * When a request fails: is it worth retrying, after how long, and may we? Kept apart from the polling
 * schedule, since a failing request says nothing about the job. Pure apart from the budget's tokens.
 */
import { unit } from '../common/unit.js';
import { isTransientFailure, type RequestFailure } from './failure.js';
import type { RetryBudget, RetryBudgetOptions } from './retry-budget.js';

/** The retry policy's options (`retry` of the client and of a wait). */
export interface RetryOptions {
  /** Retries in a row after transient failures before giving up. 0 disables retries. @default 10 */
  maxRetries: number;
  /** Ceiling of the first retry's delay (full jitter: uniform in [0, ceiling]). @default 125 */
  baseDelayMs: number;
  /**
   * Cap of the backoff ceiling: ten retries then ride out about a minute and a half of outage. While
   * the server answers the client's other requests, a failure is a blip and its ceiling stays at most
   * `BLIP_MAX_DELAY_MS` (1 s).
   * @default 30000
   */
  maxDelayMs: number;
  /** A server's `Retry-After` is honoured up to this; longer ones are capped to it. @default 120000 */
  maxRetryAfterMs: number;
  /**
   * The client-wide retry budget: its options, a shared `RetryBudget` (to share it between clients),
   * or `false` to disable. @default { capacity: 100, retryCost: 1, timeoutCost: 2, successRefill: 1, reservePerSecond: 10 }
   */
  budget: Partial<RetryBudgetOptions> | RetryBudget | false;
}

export interface ResolvedRetryOptions extends Readonly<Omit<RetryOptions, 'budget'>> {
  /** Undefined when disabled. */
  readonly budget: RetryBudget | undefined;
}

/** Spread added above a server's Retry-After, so clients told the same second do not return together. */
export const RETRY_AFTER_SPREAD = 0.2;

/**
 * The most a blip's retry waits: a failure while the server answers the client's other requests is
 * taken for a lost packet or a bad hop, not an outage, so backing off further only makes the wait late.
 * An outage answers nobody, so its backoff grows as usual, and the retry budget still bounds what a
 * crowd of waits sends.
 */
export const BLIP_MAX_DELAY_MS = 1_000;

/**
 * The delay before retry number `consecutiveFailures` (1 for the first): exponential backoff from
 * `baseDelayMs` capped at `maxDelayMs` (at `BLIP_MAX_DELAY_MS` for a blip, see `serverAnswering`), with
 * full jitter (uniform in [0, ceiling]), which spreads a crowd of failing clients best. A `Retry-After`
 * is a floor, plus up to 20% spread: the server knows when it will be back. One above `maxRetryAfterMs`
 * is capped there: a server asking for an hour should not park a wait whose caller set a tighter
 * policy; the retry then simply comes early and is refused again.
 */
export function retryDelay(
  consecutiveFailures: number,
  failure: RequestFailure,
  retry: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>,
  random: () => number,
  serverAnswering = false,
): number {
  const exponent = Math.max(0, consecutiveFailures - 1);
  const cap = serverAnswering ? Math.max(retry.baseDelayMs, BLIP_MAX_DELAY_MS) : Infinity;
  const ceiling = Math.min(retry.maxDelayMs, cap, retry.baseDelayMs * 2 ** Math.min(exponent, 52));
  const backoff = unit(random()) * ceiling;
  const retryAfterMs = failure.retryAfterMs ?? NaN;
  if (!(retryAfterMs >= 0)) return backoff;
  const floor = Math.min(retryAfterMs, retry.maxRetryAfterMs);
  const spread = Math.min(retry.maxRetryAfterMs, floor * (1 + RETRY_AFTER_SPREAD * unit(random())));
  return Math.max(backoff, spread);
}

export interface RetryInput {
  /** Failures in a row, this one included (1 for the first failure). */
  readonly consecutiveFailures: number;
  readonly failure: RequestFailure;
  readonly retry: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs' | 'maxRetries'>;
  /** Milliseconds until the wait's deadline (Infinity when none). */
  readonly remainingMs: number;
  /** The client's shared budget, or undefined when disabled. */
  readonly budget: RetryBudget | undefined;
  /** The clock's time, so the budget can refill its reserve (see `RetryBudgetOptions.reservePerSecond`). */
  readonly nowMs?: number;
  /** The server answered another request of the client since this read last failed: a blip. */
  readonly serverAnswering?: boolean;
  readonly random: () => number;
}

/** Left before a deadline for the retried request itself. */
export const DEADLINE_MARGIN_MS = 250;

export type RetryDecision =
  | {
      readonly retry: true;
      readonly delayMs: number;
      /** The shared budget is spent: this retry is an unpaid probe at the slowest pace. */
      readonly probe: boolean;
    }
  | { readonly retry: false; readonly reason: 'not_transient' | 'max_retries' | 'deadline' };

/**
 * Whether to retry and after how long, in this order: a failure that will not fix itself is never
 * retried; then the retry count; then the deadline (a retry that cannot start before it is pointless,
 * and the delay never sleeps past it); the budget last, so tokens are spent only on retries that happen.
 * A spent budget does not end the wait (its deadline may be hours away): it slows it to one unpaid probe
 * per `maxDelayMs` (jittered over its upper half), so a crowd of waits cannot multiply the load on a
 * server that is down, yet every wait resumes once it is back.
 */
export function decideRetry(input: RetryInput): RetryDecision {
  if (!isTransientFailure(input.failure)) return { retry: false, reason: 'not_transient' };
  if (input.consecutiveFailures > input.retry.maxRetries) return { retry: false, reason: 'max_retries' };
  const delayMs = retryDelay(
    input.consecutiveFailures,
    input.failure,
    input.retry,
    input.random,
    input.serverAnswering,
  );
  // A server that asked us to stay away until after the deadline is honoured: give up now.
  if (!(input.remainingMs > DEADLINE_MARGIN_MS) || (input.failure.retryAfterMs ?? -1) >= input.remainingMs)
    return { retry: false, reason: 'deadline' };
  const probe = input.budget !== undefined && !input.budget.tryAcquire(input.failure, input.nowMs);
  const wanted = probe
    ? Math.max(delayMs, input.retry.maxDelayMs * (1 - 0.5 * unit(input.random())))
    : delayMs;
  // Retry just before the deadline rather than sleep through it; the attempt may still succeed.
  return { retry: true, delayMs: Math.min(wanted, input.remainingMs - DEADLINE_MARGIN_MS), probe };
}
