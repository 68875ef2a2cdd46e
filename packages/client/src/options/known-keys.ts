/**
 * The keys each options object accepts, at run time, so an unknown key (a typo such as `timeoutMS`, or
 * `source_language` for `sourceLanguage`) is an error rather than silently ignored. Lists are derived
 * from the defaults where those hold every key; the `…Match` types fail the typecheck when a list and
 * its interface disagree, so an option added without its key here cannot compile.
 */
import type { RetryBudgetOptions } from '../policy/retry-budget.js';
import type { RetryOptions } from '../policy/retry.js';
import type { PollingOptions } from '../policy/schedule.js';
import type { CreateJobInput } from '../protocol/create-job.js';
import { DEFAULTS } from './defaults.js';
import type {
  BatchOptions,
  ClientOptions,
  CreateJobOptions,
  GetStatusOptions,
  WaitOptions,
} from './types.js';

/** `true` only when A and B are the same set of keys; anything else fails `Check`. */
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? true
  : { differ: [Exclude<A, B>, Exclude<B, A>] };
type Check<T extends true> = T;

const list = <const K extends readonly string[]>(...keys: K): K => keys;

const CLIENT_OWN = list('baseUrl', 'protocol', 'apiKey', 'headers', 'fetch', 'logger', 'clock', 'random');
export const CLIENT_KEYS: readonly string[] = [
  ...CLIENT_OWN,
  ...Object.keys(DEFAULTS).filter((key) => key !== 'retryBudget'),
];
export type ClientKeysMatch = Check<
  Same<keyof ClientOptions, (typeof CLIENT_OWN)[number] | Exclude<keyof typeof DEFAULTS, 'retryBudget'>>
>;

export const POLLING_KEYS: readonly string[] = [...Object.keys(DEFAULTS.polling), 'schedule'];
export type PollingKeysMatch = Check<Same<keyof PollingOptions, keyof typeof DEFAULTS.polling | 'schedule'>>;

export const RETRY_KEYS: readonly string[] = [...Object.keys(DEFAULTS.retry), 'budget'];
export type RetryKeysMatch = Check<Same<keyof RetryOptions, keyof typeof DEFAULTS.retry | 'budget'>>;

export const BUDGET_KEYS: readonly string[] = Object.keys(DEFAULTS.retryBudget);
export type BudgetKeysMatch = Check<Same<keyof RetryBudgetOptions, keyof typeof DEFAULTS.retryBudget>>;

export const BATCH_KEYS: readonly string[] = Object.keys(DEFAULTS.batch);
export type BatchKeysMatch = Check<Same<keyof BatchOptions, keyof typeof DEFAULTS.batch>>;

/** Ordered so that the smaller calls' keys are its prefixes. */
const WAIT = list(
  'signal',
  'requestTimeoutMs',
  'onRetry',
  'retry',
  'timeoutMs',
  'transport',
  'polling',
  'onPoll',
  'onStatus',
);
export const WAIT_KEYS: readonly string[] = WAIT;
export type WaitKeysMatch = Check<Same<keyof WaitOptions, (typeof WAIT)[number]>>;

/** `watch()`'s: a wait's without `onStatus` (see WatchOptions). */
export const WATCH_KEYS = WAIT.slice(0, 8);
/** `waitForAll`'s: a wait's, plus its `onSettled` (WaitForAllOptions, beside the client). */
export const WAIT_FOR_ALL_KEYS = [...WAIT, 'onSettled'];
export const GET_STATUS_KEYS = WAIT.slice(0, 5);
export type GetStatusKeysMatch = Check<Same<keyof GetStatusOptions, (typeof WAIT)[0 | 1 | 2 | 3 | 4]>>;
export const CREATE_JOB_OPTION_KEYS = WAIT.slice(0, 3);
export type CreateJobKeysMatch = Check<Same<keyof CreateJobOptions, (typeof WAIT)[0 | 1 | 2]>>;

const INPUT = list('sourceLanguage', 'targetLanguage', 'videoDurationSeconds', 'lipSync', 'simulate');
export const CREATE_JOB_INPUT_KEYS: readonly string[] = INPUT;
export type InputKeysMatch = Check<Same<keyof CreateJobInput, (typeof INPUT)[number]>>;

const SIMULATE = list('durationMs', 'outcome', 'errorCode');
export const SIMULATE_KEYS: readonly string[] = SIMULATE;
export type SimulateKeysMatch = Check<
  Same<keyof NonNullable<CreateJobInput['simulate']>, (typeof SIMULATE)[number]>
>;
