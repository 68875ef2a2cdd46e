/**
 * Options described by tables: each key of an options object has a rule that tells a good value and,
 * for a bad one, says what is accepted. The table is also the list of known keys, so an unknown key
 * (a typo) is caught with the same walk, and its type (`satisfies Record<keyof Options, Rule>`) keeps
 * it and the options interface in step.
 */
import { MAX_TIMER_MS } from '../common/clock.js';
import { knownObject, type Issues } from './issues.js';

/** Undefined when `value` is acceptable, else what is accepted. `read` holds the keys read before it. */
export type Rule = (value: unknown, read: Readonly<Record<string, unknown>>) => string | undefined;

/** The rules of an options object: a rule per key, or the rules of a nested object (`polling`). */
export interface Rules {
  readonly [key: string]: Rule | Rules;
}

/** A bound: a number, or the key of an option read before it in the same object (named in the message). */
type Bound = number | string;

/** What `bound` is for the options `read` so far, at least `floor`. */
const boundOf = (bound: Bound, read: Readonly<Record<string, unknown>>, floor = -Infinity): number =>
  typeof bound === 'number' ? bound : Math.max(floor, read[bound] as number);

/**
 * A number in [min, max], and at least `floor` (a whole one if `whole`; Infinity too if `infinite`),
 * described as `words` then the bounds, e.g. `a number of milliseconds >= minDelayMs, i.e. in [250, …]`.
 */
export const number =
  (
    words: string,
    min: Bound,
    max: Bound = MAX_TIMER_MS,
    whole = false,
    infinite = false,
    floor?: number,
  ): Rule =>
  (value, read) => {
    const lo = boundOf(min, read, floor);
    const hi = boundOf(max, read);
    const named =
      typeof min === 'string'
        ? typeof max === 'string'
          ? ` between ${min} and ${max}, i.e.`
          : ` >= ${min}, i.e.`
        : typeof max === 'string'
          ? ` up to ${max}, i.e.`
          : '';
    return typeof value === 'number' &&
      ((value >= lo && value <= hi && (!whole || Number.isInteger(value))) ||
        (infinite && value === Infinity))
      ? undefined
      : `${words}${named} in [${lo}, ${hi}]${infinite ? ' or Infinity' : ''}`;
  };

/** Milliseconds for a timer, `min` (and `floor`) up to what setTimeout can hold. */
export const ms = (min: Bound = 1, infinite = false, floor?: number): Rule =>
  number('a number of milliseconds', min, MAX_TIMER_MS, false, infinite, floor);

export const whole = (min: number, max: number): Rule => number('a whole number', min, max, true);

/** A value `test` accepts (undefined too, when `optional`), described as `words`. */
export const shape =
  (test: (value: unknown) => boolean, words: string, optional = true): Rule =>
  (value) =>
    (optional && value === undefined) || test(value) ? undefined : words;

/** true or false (nothing too, when `optional`). */
export const flag = (optional = false): Rule =>
  shape((value) => typeof value === 'boolean', 'true or false', optional);

export const callback = (words = 'a function'): Rule => shape((value) => typeof value === 'function', words);

export const oneOf = (allowed: readonly string[]): Rule =>
  shape(
    (value) => allowed.includes(value as string),
    `one of ${allowed.map((a) => `'${a}'`).join(', ')}`,
    false,
  );

/** Read elsewhere (a secret, or an object with rules of its own): only its key is known here. */
export const elsewhere: Rule = () => undefined;

/** Taken as it is, for its reader to check (the retry budget: see resolveBudget). */
export const asIs: Rule = () => undefined;

/**
 * Each key of `rules` from `given` (undefined: from `base`), checked by its rule; a bad value is noted
 * and `base`'s used instead, so the other keys are still checked. A nested object given is read by its
 * own rules over `base`'s (not given: `base`'s as is); keys read `elsewhere` are left out. `given`'s keys
 * are already known good (see `knownObject`).
 */
export function readRules(
  issues: Issues,
  path: string,
  given: Readonly<Record<string, unknown>>,
  base: object,
  rules: Rules,
): Record<string, unknown> {
  const fallback = base as Record<string, unknown>;
  const read: Record<string, unknown> = {};
  // Keys, not `Object.entries`: no array of pairs per call (ten thousand waits read their options).
  for (const key of Object.keys(rules)) {
    const rule = rules[key] as Rule | Rules;
    const option = path === '' ? key : `${path}.${key}`;
    const value = given[key] === undefined ? fallback[key] : given[key];
    if (rule === elsewhere) continue;
    if (typeof rule !== 'function') {
      read[key] =
        value === fallback[key] ? value : readObject(issues, option, value, fallback[key] ?? {}, rule);
      continue;
    }
    const expected = rule(value, read);
    read[key] = expected === undefined ? value : fallback[key];
    if (expected !== undefined) issues.push({ option, value, expected });
  }
  return read;
}

/** `readRules` on an options object still to be checked: an object (or nothing) with known keys only. */
export function readObject(
  issues: Issues,
  path: string,
  given: unknown,
  base: object,
  rules: Rules,
): Record<string, unknown> {
  return readRules(issues, path, knownObject(issues, path, given, Object.keys(rules)), base, rules);
}
