/**
 * The rules of the policy options (polling schedule, retry, retry budget), read on top of a base: the
 * defaults for the client, the client's for a wait. Every problem is noted in `issues` (see issues.ts).
 */
import { RetryBudget, type RetryBudgetOptions } from '../policy/retry-budget.js';
import type { RetryOptions } from '../policy/retry.js';
import type { PollingOptions } from '../policy/schedule.js';
import { DEFAULTS } from './defaults.js';
import type { Issues } from './issues.js';
import { asIs, callback, flag, ms, number, readObject, whole, type Rule } from './rules.js';
import { isPlainObject } from './validate.js';

const SHARE = 'a share';
const TOKENS = 'a number of tokens';
const SHARE_OF_CAPACITY = number(TOKENS, 0, 'capacity');

/** In reading order: a bound names only a key above it. */
export const POLLING_RULES = {
  minDelayMs: ms(0),
  maxDelayMs: ms('minDelayMs', false, 1),
  initialDelayMs: number('a number of milliseconds', 'minDelayMs', 'maxDelayMs'),
  multiplier: number('a number', 1, 100),
  jitter: number(SHARE, 0, 1),
  followEta: flag(),
  etaMargin: number(SHARE, 0, 0.9),
  maxEtaDelayMs: ms('minDelayMs'),
  schedule: callback('a function (context) => delay in milliseconds'),
} satisfies Record<keyof PollingOptions, Rule>;

export const RETRY_RULES = {
  maxRetries: whole(0, 1000),
  baseDelayMs: ms(0),
  maxDelayMs: ms('baseDelayMs'),
  maxRetryAfterMs: ms(0),
  budget: asIs, // the client's own: see resolveBudget
} satisfies Record<keyof RetryOptions, Rule>;

const BUDGET_RULES = {
  capacity: number(TOKENS, 0, Number.MAX_SAFE_INTEGER),
  retryCost: SHARE_OF_CAPACITY,
  timeoutCost: SHARE_OF_CAPACITY,
  successRefill: SHARE_OF_CAPACITY,
  reservePerSecond: number('a number of retries per second', 0, 1_000_000),
} satisfies Record<keyof RetryBudgetOptions, Rule>;

/** A shared RetryBudget as is, `false` for none, or options for a new one. */
export function resolveBudget(issues: Issues, path: string, given: unknown): RetryBudget | undefined {
  if (given === false) return undefined;
  if (given instanceof RetryBudget) return given;
  if (!isPlainObject(given)) {
    issues.push({ option: path, value: given, expected: 'a RetryBudget, its options, or false' });
    return undefined;
  }
  return new RetryBudget(readObject(issues, path, given, DEFAULTS.retryBudget, BUDGET_RULES));
}
