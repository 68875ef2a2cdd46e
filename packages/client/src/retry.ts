/**
 * When a request fails: is it worth retrying, after how long, and may we? Kept apart from the polling
 * schedule, since a failing request says nothing about the job. Pure apart from the budget's tokens.
 */
import type { ResolvedRetryOptions } from './options.js';
import type { RetryBudget } from './retry-budget.js';
import { unit } from './unit.js';

export type FailureKind = 'network' | 'timeout' | 'http' | 'malformed';

export interface RequestFailure {
  readonly kind: FailureKind;
  /** The HTTP status, for `http`. */
  readonly status?: number;
  /** The server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number;
}

/**
 * Statuses that say "not now" rather than "never": 408 timeout, 425 too early, 429 too many requests,
 * and every 5xx except 501 (not implemented) and 505 (HTTP version), which will not change on retry.
 */
export function isTransientStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * Network errors, per-request timeouts and truncated or garbled bodies (a proxy hiccup) are transient;
 * so are the statuses of `isTransientStatus`. Every other 4xx is the caller's to fix.
 */
export function isTransientFailure(failure: RequestFailure): boolean {
  if (failure.kind !== 'http') return true;
  return failure.status !== undefined && isTransientStatus(failure.status);
}

/** Spread added above a server's Retry-After, so clients told the same second do not return together. */
export const RETRY_AFTER_SPREAD = 0.2;

/**
 * The delay before retry number `consecutiveFailures` (1 for the first): exponential backoff from
 * `baseDelayMs` capped at `maxDelayMs`, with full jitter (uniform in [0, ceiling]), which spreads a crowd
 * of failing clients best. A `Retry-After` is a floor, plus up to 20% spread: the server knows when it
 * will be back. One above `maxRetryAfterMs` is capped there: a server asking for an hour should not park
 * a wait whose caller set a tighter policy; the retry then simply comes early and is refused again.
 */
export function retryDelay(
  consecutiveFailures: number,
  failure: RequestFailure,
  retry: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>,
  random: () => number,
): number {
  const exponent = Math.max(0, consecutiveFailures - 1);
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.min(exponent, 52));
  const backoff = unit(random()) * ceiling;
  if (failure.retryAfterMs === undefined || !(failure.retryAfterMs >= 0)) return backoff;
  const floor = Math.min(failure.retryAfterMs, retry.maxRetryAfterMs);
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
  const delayMs = retryDelay(input.consecutiveFailures, input.failure, input.retry, input.random);
  if (!(input.remainingMs > DEADLINE_MARGIN_MS)) return { retry: false, reason: 'deadline' };
  // A server that asked us to stay away until after the deadline is honoured: give up now.
  const retryAfterMs = input.failure.retryAfterMs;
  if (retryAfterMs !== undefined && retryAfterMs >= input.remainingMs)
    return { retry: false, reason: 'deadline' };
  const probe = input.budget !== undefined && !input.budget.tryAcquire(input.failure);
  const wanted = probe
    ? Math.max(delayMs, input.retry.maxDelayMs * (1 - 0.5 * unit(input.random())))
    : delayMs;
  // Retry just before the deadline rather than sleep through it; the attempt may still succeed.
  return { retry: true, delayMs: Math.min(wanted, input.remainingMs - DEADLINE_MARGIN_MS), probe };
}
