/**
 * The option keys each public call accepts, at run time, so an unknown key (a typo such as `timeoutMS`)
 * is an error rather than silently ignored. The client's and the policies' keys are their rule tables'
 * (see rules.ts); these are the calls that share the wait's rules (`WAIT_RULES`, whose order makes the
 * smaller calls' keys its prefixes) but accept only some of its keys. The `…Match` types fail the
 * typecheck when a list and its interface disagree.
 */
import type { CreateJobInput } from '../protocol/create-job.js';
import { WAIT_RULES } from './resolve.js';
import type { CompletionOptions, CreateJobOptions, GetStatusOptions, WaitOptions } from './types.js';

/** `true` only when A and B are the same set of keys; anything else fails `Check`. */
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? true
  : { differ: [Exclude<A, B>, Exclude<B, A>] };
type Check<T extends true> = T;

/** `WAIT_RULES`' keys in their order (known-keys.test.ts checks that they agree). */
export type WaitOrder = [
  'signal',
  'requestTimeoutMs',
  'onRetry',
  'retry',
  'timeoutMs',
  'transport',
  'polling',
  'onPoll',
  'onStatus',
];
const WAIT = Object.keys(WAIT_RULES) as WaitOrder;
export const WAIT_KEYS: readonly string[] = WAIT;
export type WaitKeysMatch = Check<Same<keyof WaitOptions, WaitOrder[number]>>;

/** `waitForCompletion`'s: a wait's, plus `resumeFrom`. */
export const COMPLETION_KEYS = [...WAIT, 'resumeFrom'] as const;
export type CompletionKeysMatch = Check<Same<keyof CompletionOptions, (typeof COMPLETION_KEYS)[number]>>;
/** `watch()`'s: a wait's without `onStatus` (see WatchOptions). */
export const WATCH_KEYS = WAIT.slice(0, 8);
/** `waitForAll`'s: a wait's, plus its `onSettled` (WaitForAllOptions, beside the client). */
export const WAIT_FOR_ALL_KEYS = [...WAIT, 'onSettled'];
export const GET_STATUS_KEYS = WAIT.slice(0, 5);
export type GetStatusKeysMatch = Check<Same<keyof GetStatusOptions, WaitOrder[0 | 1 | 2 | 3 | 4]>>;
export const CREATE_JOB_OPTION_KEYS = WAIT.slice(0, 3);
export type CreateJobKeysMatch = Check<Same<keyof CreateJobOptions, WaitOrder[0 | 1 | 2]>>;

const SIMULATE = ['durationMs', 'outcome', 'errorCode'] as const;
export const SIMULATE_KEYS: readonly string[] = SIMULATE;
export type SimulateKeysMatch = Check<
  Same<keyof NonNullable<CreateJobInput['simulate']>, (typeof SIMULATE)[number]>
>;
