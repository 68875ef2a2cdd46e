/**
 * The checks every option goes through: each failure names the option's path, shows the bad value and
 * says what is accepted, as a ConfigurationError.
 */
import { MAX_TIMER_MS } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import { ConfigurationError } from '../errors/index.js';

export function fail(option: string, value: unknown, expected: string): never {
  throw new ConfigurationError({ option, value, expected });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number in [min, max]; `Infinity` only when `max` is Infinity. */
export function numberIn(option: string, value: unknown, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min} (or Infinity)` : `in [${min}, ${max}]`;
    fail(option, value, `${unit} ${range}`);
  }
  return value;
}

/** Milliseconds for a timer: positive, at most what setTimeout can hold, or Infinity when allowed. */
export function durationMs(option: string, value: unknown, allowInfinity: boolean): number {
  if (allowInfinity && value === Infinity) return Infinity;
  const n = numberIn(option, value, 1, MAX_TIMER_MS, 'a number of milliseconds');
  return n;
}

export function integerIn(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(option, value, `a whole number in [${min}, ${max}]`);
  }
  return value;
}

export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(option, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

export function objectOrUndefined(option: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) fail(option, value, 'an object');
  return value;
}

/** `override` when given, else `base`; undefined counts as "not given". */
export function pick(override: Record<string, unknown>, key: string, base: unknown): unknown {
  return override[key] === undefined ? base : override[key];
}

export function optionalFunction<T>(option: string, value: unknown, fallback: T | undefined): T | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') fail(option, value, 'a function');
  return value as T;
}

export function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((level) => typeof v[level] === 'function');
}

export function isPlainObjectOrInstance(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    'aborted' in value &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function'
  );
}
