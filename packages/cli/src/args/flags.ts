/**
 * Flag declarations: each flag is one record with its value name, help line, range, default and
 * environment variable. The parser reads values with it and the help screen prints it, so the two
 * cannot disagree about what a flag accepts.
 */
import { parseDuration } from './duration.js';

/** One flag, as the parser and the help screen see it. `T` is what `read` produces. */
export interface Flag<T = unknown> {
  /** `undefined` for a switch (no value); otherwise the value's name in help, e.g. `SECONDS`. */
  readonly metavar: string | undefined;
  readonly short?: string | undefined;
  /** What the flag is for, lower case, no full stop. */
  readonly help: string;
  /** What a value must be, e.g. `a number greater than 0`: shown in help and in every error. */
  readonly accepts: string | undefined;
  /** Read when the flag is absent; an empty variable counts as unset. */
  readonly env?: string | undefined;
  /** A switch that also has a `--no-` form. */
  readonly negatable?: boolean | undefined;
  readonly required?: boolean | undefined;
  /** Used when neither the flag nor its variable is given. */
  readonly default?: T | undefined;
  /** How the default reads in help, when not just the value. */
  readonly defaultText?: string | undefined;
  /** Values never printed (errors, help). */
  readonly secret?: boolean | undefined;
  /** How a bad value is quoted in an error, when part of it must not be shown. */
  readonly redact?: ((raw: string) => string) | undefined;
  /** Turns one raw value into `T`; `undefined` means it is not accepted. Switches get 'true'/'false'. */
  read(raw: string): T | undefined;
}

export type FlagTable = Readonly<Record<string, Flag>>;

/** What a flag holds after parsing: its type, or also `undefined` when it has no default and is optional. */
export type FlagValue<F> =
  F extends Flag<infer T>
    ? F extends { readonly default: T } | { readonly required: true }
      ? T
      : T | undefined
    : never;

export type FlagValues<F extends FlagTable> = { -readonly [K in keyof F]: FlagValue<F[K]> };

interface Common<T> {
  readonly help: string;
  readonly short?: string;
  readonly env?: string;
  readonly required?: true;
  readonly default?: T;
  readonly defaultText?: string;
  readonly secret?: true;
}

interface ValueCommon<T> extends Common<T> {
  readonly metavar: string;
}

function valueFlag<T, O extends ValueCommon<T>>(
  options: O,
  accepts: string,
  read: (raw: string) => T | undefined,
): O & Flag<T> {
  return { ...options, accepts, read };
}

/** A switch such as `--json`: `false` when absent. */
export function booleanFlag<O extends Omit<Common<boolean>, 'required' | 'default' | 'secret'>>(
  options: O,
): O & Flag<boolean> & { readonly default: boolean } {
  return {
    ...options,
    metavar: undefined,
    accepts: undefined,
    default: false,
    read: (raw) => raw === 'true',
  };
}

/** A switch with a `--no-` form, `undefined` when absent, so the server's default applies. */
export function toggleFlag<O extends Omit<Common<boolean>, 'required' | 'default' | 'secret'>>(
  options: O,
): O & Flag<boolean> {
  return {
    ...options,
    metavar: undefined,
    accepts: undefined,
    negatable: true,
    read: (raw) => raw === 'true',
  };
}

/** What free text must be; too obvious to print in help. */
export const NON_EMPTY = 'non-empty text';

/** Free text; empty text is never accepted. */
export function textFlag<O extends ValueCommon<string> & { accepts?: string }>(options: O): O & Flag<string> {
  return valueFlag(options, options.accepts ?? NON_EMPTY, (raw) => (raw === '' ? undefined : raw));
}

/** One of a fixed list. */
export function choiceFlag<const V extends string, O extends ValueCommon<NoInfer<V>>>(
  options: O & { readonly values: readonly V[] },
): O & Flag<V> {
  return valueFlag(options, `one of ${options.values.join(', ')}`, (raw) =>
    options.values.find((value) => value === raw),
  );
}

export interface NumberRange {
  /** Smallest accepted value. */
  readonly min?: number;
  /** `true`: `min` itself is not accepted ("greater than"). */
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly integer?: boolean;
}

/** `a number greater than 0`, `a whole number from 0 to 4294967295`, `a whole number, 0 or more`. */
export function describeRange(range: NumberRange): string {
  const kind = range.integer === true ? 'a whole number' : 'a number';
  const { min, max } = range;
  const exclusive = range.minExclusive === true;
  if (min !== undefined && max !== undefined && !exclusive) return `${kind} from ${min} to ${max}`;
  if (min !== undefined && max === undefined && !exclusive) return `${kind}, ${min} or more`;
  const parts: string[] = [];
  if (min !== undefined) parts.push(`greater than ${min}`);
  if (max !== undefined) parts.push(`at most ${max}`);
  return parts.length === 0 ? kind : `${kind} ${parts.join(' and ')}`;
}

export function inRange(n: number, range: NumberRange): boolean {
  if (!Number.isFinite(n)) return false;
  if (range.integer === true && !Number.isInteger(n)) return false;
  if (range.min !== undefined && (range.minExclusive === true ? n <= range.min : n < range.min)) return false;
  return range.max === undefined || n <= range.max;
}

export function numberFlag<O extends ValueCommon<number> & NumberRange>(options: O): O & Flag<number> {
  return valueFlag(options, describeRange(options), (raw) => {
    const n = raw.trim() === '' ? Number.NaN : Number(raw);
    return inRange(n, options) ? n : undefined;
  });
}

/** `90s`, `2h30m`, `250ms` or plain milliseconds; always greater than 0. */
export function durationFlag<O extends ValueCommon<number>>(options: O): O & Flag<number> {
  return valueFlag(options, 'a duration greater than 0 such as 90s, 10m, 2h30m or 1500 (ms)', parseDuration);
}

/** `http://user:pw@host/` → `http://***@host/`: a password typed into a URL is still a password. */
export function redactUserinfo(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/** An http:// or https:// URL, without credentials in it (they belong in --api-key). */
export function urlFlag<O extends ValueCommon<string>>(options: O): O & Flag<string> {
  const flag = valueFlag(
    options,
    'an http:// or https:// URL without a user or password (use --api-key)',
    (raw) => {
      const url = URL.canParse(raw) ? new URL(raw) : undefined;
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
      return url.username === '' && url.password === '' ? raw : undefined;
    },
  );
  return { ...flag, redact: redactUserinfo };
}

/** A bare argument, such as a job id. */
export interface Positional {
  /** As shown in usage, e.g. `job-id`. */
  readonly name: string;
  readonly help: string;
  readonly optional?: true;
}
