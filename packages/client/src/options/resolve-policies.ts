/**
 * Reads the policy options (polling schedule, retry, retry budget) on top of a base: the defaults for
 * the client, the client's for a wait. Every problem is noted in `issues` (see issues.ts).
 */
import { MAX_TIMER_MS } from '../common/clock.js';
import { DEFAULT_RETRY_BUDGET, RetryBudget } from '../policy/retry-budget.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import type { Issues } from './issues.js';
import { BUDGET_KEYS, POLLING_KEYS, RETRY_KEYS } from './known-keys.js';
import { OptionSection } from './section.js';

const MS = 'a number of milliseconds';

export function resolvePolling(
  issues: Issues,
  path: string,
  base: ResolvedPollingOptions,
  given: unknown,
): ResolvedPollingOptions {
  const s = new OptionSection(issues, path, issues.object(path, given, POLLING_KEYS), base);
  const minDelayMs = s.number('minDelayMs', 0, MAX_TIMER_MS, MS);
  const maxDelayMs = s.number(
    'maxDelayMs',
    Math.max(1, minDelayMs),
    MAX_TIMER_MS,
    `${MS} >= minDelayMs, i.e.`,
  );
  return {
    initialDelayMs: s.number(
      'initialDelayMs',
      minDelayMs,
      maxDelayMs,
      `${MS} between minDelayMs and maxDelayMs, i.e.`,
    ),
    minDelayMs,
    maxDelayMs,
    multiplier: s.number('multiplier', 1, 100, 'a number'),
    jitter: s.number('jitter', 0, 1, 'a share'),
    followEta: s.boolean('followEta'),
    etaMargin: s.number('etaMargin', 0, 0.9, 'a share'),
    maxEtaDelayMs: s.number('maxEtaDelayMs', minDelayMs, MAX_TIMER_MS, `${MS} >= minDelayMs, i.e.`),
    schedule: s.callback('schedule', 'a function (context) => delay in milliseconds'),
  };
}

/**
 * `forClient`: the client's retry options, whose budget (a new one unless given) all its waits share;
 * otherwise a wait's, which keeps `base.budget` and may not set one.
 */
export function resolveRetry(
  issues: Issues,
  path: string,
  base: ResolvedRetryOptions,
  given: unknown,
  forClient: boolean,
): ResolvedRetryOptions {
  const s = new OptionSection(issues, path, issues.object(path, given, RETRY_KEYS), base);
  const baseDelayMs = s.number('baseDelayMs', 0, MAX_TIMER_MS, MS);
  const budget = s.given['budget'];
  return {
    maxRetries: s.integer('maxRetries', 0, 1000),
    baseDelayMs,
    maxDelayMs: s.number('maxDelayMs', baseDelayMs, MAX_TIMER_MS, `${MS} >= baseDelayMs, i.e.`),
    maxRetryAfterMs: s.number('maxRetryAfterMs', 0, MAX_TIMER_MS, MS),
    budget: forClient
      ? resolveBudget(issues, s.pathOf('budget'), budget ?? {})
      : budget === undefined
        ? base.budget
        : s.reject(
            'budget',
            budget,
            'no budget here: the retry budget is set once, on the client',
            base.budget,
          ),
  };
}

/** A shared RetryBudget as is, `false` for none, or options for a new one. */
export function resolveBudget(issues: Issues, path: string, given: unknown): RetryBudget | undefined {
  if (given === false) return undefined;
  if (given instanceof RetryBudget) return given;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    issues.add({ option: path, value: given, expected: 'a RetryBudget, its options, or false' });
    return undefined;
  }
  const s = new OptionSection(issues, path, issues.object(path, given, BUDGET_KEYS), DEFAULT_RETRY_BUDGET);
  const capacity = s.number('capacity', 0, Number.MAX_SAFE_INTEGER, 'a number of tokens');
  const share = (key: 'retryCost' | 'timeoutCost' | 'successRefill'): number =>
    s.number(key, 0, capacity, 'a number of tokens up to capacity, i.e.');
  return new RetryBudget({
    capacity,
    retryCost: share('retryCost'),
    timeoutCost: share('timeoutCost'),
    successRefill: share('successRefill'),
    reservePerSecond: s.number('reservePerSecond', 0, 1_000_000, 'a number of retries per second'),
  });
}
