/**
 * What went wrong with one request, in the terms the retry policy and the retry budget judge it by.
 */
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
 * so are the statuses of `isTransientStatus`, and a 409 that comes with `Retry-After` (the server says
 * the conflict will pass: a create under the same idempotency key still in progress). Every other 4xx
 * is the caller's to fix.
 */
export function isTransientFailure(failure: RequestFailure): boolean {
  if (failure.kind !== 'http') return true;
  if (failure.status === 409) return failure.retryAfterMs !== undefined;
  return failure.status !== undefined && isTransientStatus(failure.status);
}
