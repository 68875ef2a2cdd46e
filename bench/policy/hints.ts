/**
 * The simulated server's poll hints come from the real server's pure hint function, so the benchmark
 * measures the formula that ships rather than a copy of it.
 */
import { pollHints } from '../../packages/server/src/protocol/hints.js';
import type { PollHints } from '../../packages/server/src/protocol/hints.js';

/** The server's default clamp for `Poll-After-Ms` (protocol: at least 100 ms, at most 30 s). */
const HINT_BOUNDS = { minMs: 100, maxMs: 30_000 } as const;

/** `Poll-After-Ms` and `Retry-After` for a pending job whose estimated remaining time is `etaMs`. */
export function hintsFor(etaMs: number): PollHints {
  return pollHints(etaMs, HINT_BOUNDS);
}
