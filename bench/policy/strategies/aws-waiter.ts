/**
 * AWS SDK v3 waiters (smithy util-waiter): one immediate check, then attempt n sleeps a delay drawn
 * uniformly from [minDelay, minDelay × 2^(n-1)], or maxDelay once n passes log2(maxDelay / minDelay) + 1.
 * Before each sleep, if the delay would overshoot the wait budget the waiter gives up without a last poll.
 */
import { pollOnce } from './poll.js';
import type { Strategy } from './types.js';

export interface AwsWaiterOptions {
  /** @default 2 (seconds, the service default) */
  readonly minDelaySeconds: number;
  /** @default 120 (seconds) */
  readonly maxDelaySeconds: number;
  /** The caller's budget; util-waiter has no default, every waiter call passes one. */
  readonly maxWaitTimeSeconds: number;
}

export const AWS_WAITER_DEFAULTS = { minDelaySeconds: 2, maxDelaySeconds: 120 } as const;

export class WaiterTimeoutError extends Error {
  override readonly name = 'WaiterTimeoutError';
}

/** The delay in seconds before attempt `attempt` (1-based), given a uniform draw `u` in [0, 1). */
export function awsDelaySeconds(options: AwsWaiterOptions, attempt: number, u: number): number {
  const { minDelaySeconds: min, maxDelaySeconds: max } = options;
  const ceiling = Math.log2(max / min) + 1;
  if (attempt > ceiling) return max;
  return min + u * (min * 2 ** (attempt - 1) - min);
}

export function awsWaiter(options: AwsWaiterOptions): Strategy {
  return async (jobUrl, { fetch, clock, random }) => {
    if ((await pollOnce(fetch, jobUrl)).ended) return;
    const waitUntil = clock.now() + options.maxWaitTimeSeconds * 1000;
    for (let attempt = 1; ; attempt++) {
      const delaySeconds = awsDelaySeconds(options, attempt, random());
      if (clock.now() + delaySeconds * 1000 > waitUntil) {
        throw new WaiterTimeoutError(`gave up after ${options.maxWaitTimeSeconds} s without a last poll`);
      }
      await clock.sleep(delaySeconds * 1000);
      if ((await pollOnce(fetch, jobUrl)).ended) return;
    }
  };
}
