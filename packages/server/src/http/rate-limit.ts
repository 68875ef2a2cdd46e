/**
 * A fixed-window request counter per client. Memory is bounded by the clients seen in one window: the
 * whole table is dropped when the window turns, so an attacker cycling addresses cannot grow it forever.
 */

export interface RateDecision {
  readonly allowed: boolean;
  /** The limit per window. */
  readonly limit: number;
  /** Requests left in this window after this one. */
  readonly remaining: number;
  /** Whole seconds until the window turns (at least 1). */
  readonly resetSeconds: number;
}

export class FixedWindowLimiter {
  #windowStart = -Infinity;
  #counts = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one request by `client` at `nowMs` and says whether it is within the limit. */
  take(client: string, nowMs: number): RateDecision {
    const windowStart = Math.floor(nowMs / this.windowMs) * this.windowMs;
    if (windowStart !== this.#windowStart) {
      this.#windowStart = windowStart;
      this.#counts = new Map();
    }
    const used = (this.#counts.get(client) ?? 0) + 1;
    this.#counts.set(client, used);
    const resetSeconds = Math.max(1, Math.ceil((windowStart + this.windowMs - nowMs) / 1000));
    return {
      allowed: used <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - used),
      resetSeconds,
    };
  }

  /** Clients counted in the current window (for tests of the memory bound). */
  get size(): number {
    return this.#counts.size;
  }
}

/** `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers): quota `q` per window `w` seconds. */
export function rateLimitPolicyHeader(limit: number, windowMs: number): string {
  return `"default";q=${limit};w=${Math.ceil(windowMs / 1000)}`;
}

/** `RateLimit`: `r` requests remaining, `t` seconds until the quota resets. */
export function rateLimitHeader(decision: RateDecision): string {
  return `"default";r=${decision.remaining};t=${decision.resetSeconds}`;
}
