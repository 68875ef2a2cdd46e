/**
 * Google gax long-running operations (`Operation.startPolling_`): poll at once, then sleep, growing the
 * delay by the multiplier after each sleep up to the cap. No jitter, no server hint, no total timeout
 * in the default backoff settings.
 */
import { pollOnce } from './poll.js';
import type { Strategy } from './types.js';

export interface GaxBackoff {
  /** @default 100 */
  readonly initialRetryDelayMillis: number;
  /** @default 1.3 */
  readonly retryDelayMultiplier: number;
  /** @default 60000 */
  readonly maxRetryDelayMillis: number;
}

export const GAX_LRO_DEFAULTS: GaxBackoff = {
  initialRetryDelayMillis: 100,
  retryDelayMultiplier: 1.3,
  maxRetryDelayMillis: 60_000,
};

export function gaxLro(backoff: GaxBackoff): Strategy {
  return async (jobUrl, { fetch, clock }) => {
    let delayMs = backoff.initialRetryDelayMillis;
    while (!(await pollOnce(fetch, jobUrl)).ended) {
      await clock.sleep(delayMs);
      delayMs = Math.min(delayMs * backoff.retryDelayMultiplier, backoff.maxRetryDelayMillis);
    }
  };
}
