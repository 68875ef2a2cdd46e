/**
 * One options object being read: the caller's values over a base (the defaults for the client, the
 * client's for a wait). Each reader checks one key; a bad value is noted (path, value, what is accepted)
 * and the base value used instead, so every other key is still checked.
 */
import { MAX_TIMER_MS } from '../common/clock.js';
import type { Issues } from './issues.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the caller narrows it to the option's type
type AnyFunction = (...args: any[]) => any;

export class OptionSection<B extends object> {
  constructor(
    private readonly issues: Issues,
    /** `''` at the top level. */
    private readonly path: string,
    /** The caller's object, already checked to be one (see `Issues.object`). */
    readonly given: Record<string, unknown>,
    private readonly base: B,
  ) {}

  pathOf(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** The caller's value, or the base's when the caller left it out (undefined counts as left out). */
  value(key: keyof B & string): unknown {
    const given = this.given[key];
    return given === undefined ? this.fallback(key) : given;
  }

  private fallback(key: keyof B & string): unknown {
    return (this.base as Record<string, unknown>)[key];
  }

  /** Notes the issue and answers the base's value (of the reader's type: the base is resolved). */
  private bad(key: keyof B & string, value: unknown, expected: string): never {
    this.issues.add({ option: this.pathOf(key), value, expected });
    return this.fallback(key) as never;
  }

  /** A number in [min, max]; `unit` starts the description, e.g. `a number of milliseconds`. */
  number(key: keyof B & string, min: number, max: number, unit: string): number {
    const value = this.value(key);
    if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
      const range = max === Infinity ? `>= ${min} (or Infinity)` : `in [${min}, ${max}]`;
      return this.bad(key, value, `${unit} ${range}`);
    }
    return value;
  }

  /** Milliseconds for a timer: positive, at most what setTimeout can hold, or Infinity when allowed. */
  duration(key: keyof B & string, allowInfinity: boolean): number {
    if (allowInfinity && this.value(key) === Infinity) return Infinity;
    return this.number(key, 1, MAX_TIMER_MS, 'a number of milliseconds');
  }

  integer(key: keyof B & string, min: number, max: number): number {
    const value = this.value(key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.bad(key, value, `a whole number in [${min}, ${max}]`);
    }
    return value;
  }

  boolean(key: keyof B & string): boolean {
    const value = this.value(key);
    return typeof value === 'boolean' ? value : this.bad(key, value, 'true or false');
  }

  choice<T extends string>(key: keyof B & string, allowed: readonly T[]): T {
    const value = this.value(key);
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.bad(key, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    }
    return value as T;
  }

  /** A function or nothing; the caller names its type. */
  callback(key: keyof B & string, expected = 'a function'): AnyFunction | undefined {
    const value = this.value(key);
    if (value === undefined || typeof value === 'function') return value as AnyFunction | undefined;
    return this.bad(key, value, expected);
  }

  /** Notes an issue about `key` that the readers above cannot express. */
  reject<T>(key: string, value: unknown, expected: string, fallback: T, secret = false): T {
    return this.issues.reject({ option: this.pathOf(key), value, expected, secret }, fallback);
  }
}
