/**
 * Poll hints: when a client should look again. Pure, so the formula is tested by tables and properties.
 */

/** Bounds for the hint. */
export interface PollHintBounds {
  /** @default 100 */
  readonly minMs: number;
  /** @default 30000 */
  readonly maxMs: number;
}

export interface PollHints {
  /** `Poll-After-Ms` value. */
  readonly pollAfterMs: number;
  /** `Retry-After` value: whole seconds (RFC 9110 delay-seconds). */
  readonly retryAfterSeconds: number;
}

/**
 * Share of the ETA to wait before the next poll. The ETA may be up to 15% optimistic or pessimistic; 0.8
 * lands before the true end in the usual case, and each later poll closes most of the remaining gap.
 */
export const HINT_SHARE_OF_ETA = 0.8;

/**
 * pollAfterMs = clamp(round(0.8 × etaMs), minMs, maxMs); retryAfterSeconds = ceil(pollAfterMs / 1000).
 * Without an ETA the hint is the minimum.
 */
export function pollHints(etaMs: number | undefined, bounds: PollHintBounds): PollHints {
  const wanted = etaMs === undefined ? bounds.minMs : Math.round(HINT_SHARE_OF_ETA * etaMs);
  const pollAfterMs = Math.min(bounds.maxMs, Math.max(bounds.minMs, wanted));
  return { pollAfterMs, retryAfterSeconds: Math.max(1, Math.ceil(pollAfterMs / 1000)) };
}
