/**
 * Resolves the policy options (polling schedule, retry, retry budget) on top of a base: the defaults
 * for the client, the client's for a wait. Throws ConfigurationError.
 */
import { MAX_TIMER_MS } from '../common/clock.js';
import { DEFAULT_RETRY_BUDGET, RetryBudget } from '../policy/retry-budget.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import type { PollSchedule, ResolvedPollingOptions } from '../policy/schedule.js';
import { fail, integerIn, isPlainObject, numberIn, objectOrUndefined, pick } from './validate.js';

export function resolvePolling(
  prefix: string,
  base: ResolvedPollingOptions,
  given: unknown,
): ResolvedPollingOptions {
  const o = objectOrUndefined(prefix, given);
  const path = (key: string): string => `${prefix}.${key}`;
  const minDelayMs = numberIn(
    path('minDelayMs'),
    pick(o, 'minDelayMs', base.minDelayMs),
    0,
    MAX_TIMER_MS,
    'a number of milliseconds',
  );
  const maxDelayMs = numberIn(
    path('maxDelayMs'),
    pick(o, 'maxDelayMs', base.maxDelayMs),
    Math.max(1, minDelayMs),
    MAX_TIMER_MS,
    'a number of milliseconds >= minDelayMs, i.e.',
  );
  const initialDelayMs = numberIn(
    path('initialDelayMs'),
    pick(o, 'initialDelayMs', base.initialDelayMs),
    minDelayMs,
    maxDelayMs,
    'a number of milliseconds between minDelayMs and maxDelayMs, i.e.',
  );
  const multiplier = numberIn(path('multiplier'), pick(o, 'multiplier', base.multiplier), 1, 100, 'a number');
  const jitter = numberIn(path('jitter'), pick(o, 'jitter', base.jitter), 0, 1, 'a share');
  const followEta = pick(o, 'followEta', base.followEta);
  if (typeof followEta !== 'boolean') fail(path('followEta'), followEta, 'true or false');
  const etaMargin = numberIn(path('etaMargin'), pick(o, 'etaMargin', base.etaMargin), 0, 0.9, 'a share');
  const maxEtaDelayMs = numberIn(
    path('maxEtaDelayMs'),
    pick(o, 'maxEtaDelayMs', base.maxEtaDelayMs),
    minDelayMs,
    MAX_TIMER_MS,
    'a number of milliseconds >= minDelayMs, i.e.',
  );
  const schedule = pick(o, 'schedule', base.schedule);
  if (schedule !== undefined && typeof schedule !== 'function') {
    fail(path('schedule'), schedule, 'a function (context) => delay in milliseconds');
  }
  return {
    initialDelayMs,
    minDelayMs,
    maxDelayMs,
    multiplier,
    jitter,
    followEta,
    etaMargin,
    maxEtaDelayMs,
    schedule: schedule as PollSchedule | undefined,
  };
}

export function resolveRetry(
  prefix: string,
  base: ResolvedRetryOptions,
  given: unknown,
  allowBudget: boolean,
): ResolvedRetryOptions {
  const o = objectOrUndefined(prefix, given);
  const path = (key: string): string => `${prefix}.${key}`;
  const maxRetries = integerIn(path('maxRetries'), pick(o, 'maxRetries', base.maxRetries), 0, 1000);
  const baseDelayMs = numberIn(
    path('baseDelayMs'),
    pick(o, 'baseDelayMs', base.baseDelayMs),
    0,
    MAX_TIMER_MS,
    'a number of milliseconds',
  );
  const maxDelayMs = numberIn(
    path('maxDelayMs'),
    pick(o, 'maxDelayMs', base.maxDelayMs),
    baseDelayMs,
    MAX_TIMER_MS,
    'a number of milliseconds >= baseDelayMs, i.e.',
  );
  const maxRetryAfterMs = numberIn(
    path('maxRetryAfterMs'),
    pick(o, 'maxRetryAfterMs', base.maxRetryAfterMs),
    0,
    MAX_TIMER_MS,
    'a number of milliseconds',
  );
  let budget = base.budget;
  if (o['budget'] !== undefined) {
    if (!allowBudget)
      fail(path('budget'), o['budget'], 'no budget here: the retry budget is set once, on the client');
    budget = resolveBudget(path('budget'), o['budget']);
  }
  return { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, budget };
}

export function resolveBudget(option: string, value: unknown): RetryBudget | undefined {
  if (value === false) return undefined;
  if (value instanceof RetryBudget) return value;
  if (!isPlainObject(value)) fail(option, value, 'a RetryBudget, its options, or false');
  const capacity = numberIn(
    `${option}.capacity`,
    pick(value, 'capacity', DEFAULT_RETRY_BUDGET.capacity),
    0,
    Number.MAX_SAFE_INTEGER,
    'a number of tokens',
  );
  const retryCost = numberIn(
    `${option}.retryCost`,
    pick(value, 'retryCost', DEFAULT_RETRY_BUDGET.retryCost),
    0,
    capacity,
    'a number of tokens up to capacity, i.e.',
  );
  const timeoutCost = numberIn(
    `${option}.timeoutCost`,
    pick(value, 'timeoutCost', DEFAULT_RETRY_BUDGET.timeoutCost),
    0,
    capacity,
    'a number of tokens up to capacity, i.e.',
  );
  const successRefill = numberIn(
    `${option}.successRefill`,
    pick(value, 'successRefill', DEFAULT_RETRY_BUDGET.successRefill),
    0,
    capacity,
    'a number of tokens up to capacity, i.e.',
  );
  const reservePerSecond = numberIn(
    `${option}.reservePerSecond`,
    pick(value, 'reservePerSecond', DEFAULT_RETRY_BUDGET.reservePerSecond),
    0,
    1_000_000,
    'a number of retries per second',
  );
  return new RetryBudget({ capacity, retryCost, timeoutCost, successRefill, reservePerSecond });
}
