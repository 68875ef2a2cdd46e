/**
 * Azure core-lro `pollUntilDone`: poll at once, then sleep the current interval (2 s by default) between
 * polls. Each non-terminal answer with a usable `Retry-After` replaces the interval, and the replacement
 * sticks until another `Retry-After` arrives.
 */
import { pollOnce } from './poll.js';
import type { Strategy } from './types.js';

export const AZURE_DEFAULT_INTERVAL_MS = 2000;

/** core-lro reads delay-seconds with parseInt, or an HTTP date in the future; anything else is ignored. */
export function azureRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const seconds = Number.parseInt(value, 10);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) || at <= nowMs ? undefined : at - nowMs;
}

export const azureCoreLro: Strategy = async (jobUrl, { fetch, clock }) => {
  let intervalMs = AZURE_DEFAULT_INTERVAL_MS;
  for (;;) {
    const answer = await pollOnce(fetch, jobUrl);
    if (answer.ended) return;
    // A zero or missing value leaves the interval unchanged, as in core-lro.
    const hinted = azureRetryAfterMs(answer.headers.get('retry-after'), clock.now());
    if (hinted !== undefined && hinted > 0) intervalMs = hinted;
    await clock.sleep(intervalMs);
  }
};
