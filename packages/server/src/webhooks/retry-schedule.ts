/**
 * When to try a webhook delivery again, as pure functions. The schedule is Standard Webhooks' example
 * (about three days in ten attempts), multiplied by the server's time scale so tests and demos run it
 * in seconds, with ±20% jitter so deliveries that failed together do not retry together.
 */

/** Delay before attempts 2, 3, …, 10, in ms at time scale 1: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
];

/** Share of each delay drawn at random, either way. */
export const RETRY_JITTER = 0.2;

/** A receiver's `Retry-After` is honoured up to this (it is not scaled: it is the receiver's own time). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** What one attempt came to. */
export type AttemptOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly retryAfterMs?: number | undefined }
  | { readonly kind: 'failed'; readonly error: string };

/** What to do after an attempt. */
export type NextStep =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly delayMs: number }
  /** Every attempt of the schedule failed. */
  | { readonly kind: 'gave_up' }
  /** An answer that retrying cannot change (a redirect, a 4xx other than 410 and 429). */
  | { readonly kind: 'rejected' }
  /** 410 Gone: the receiver wants no more deliveries at this URL. */
  | { readonly kind: 'gone' };

/**
 * The step after attempt number `attempt` (1-based). `random` is a draw in [0, 1) for the jitter.
 */
export function nextStep(
  outcome: AttemptOutcome,
  attempt: number,
  timeScale: number,
  random: number,
): NextStep {
  if (outcome.kind === 'answered') {
    const { status } = outcome;
    if (status >= 200 && status < 300) return { kind: 'delivered' };
    if (status === 410) return { kind: 'gone' };
    if (status < 500 && status !== 429) return { kind: 'rejected' };
  }
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return { kind: 'gave_up' };
  const scheduled = base * timeScale * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random);
  const asked =
    outcome.kind === 'answered' && (outcome.status === 429 || outcome.status === 503)
      ? Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)
      : 0;
  return { kind: 'retry', delayMs: Math.round(Math.max(scheduled, asked)) };
}

/** `Retry-After` as whole seconds or an HTTP date, in ms from `nowMs`; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month; Date.parse alone would take '-1' for a year.
  const at = /^[A-Za-z]{3}, /.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
