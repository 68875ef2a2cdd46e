/**
 * The kinds of value a setting can hold: how each is read from text (a flag or an environment
 * variable), what it accepts, and how its accepted range is worded in messages. Pure.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Kind = 'int' | 'number' | 'string' | 'boolean' | 'list' | 'level';

/** What a kind needs to know of the setting it checks. */
export interface Bounds {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

interface KindRules {
  /** The value `text` stands for, or undefined when it stands for none. */
  parse(text: string): unknown;
  accepts(value: unknown, bounds: Bounds): boolean;
  range(bounds: Bounds): string;
}

const inBounds = (value: number, { min, max }: Bounds): boolean =>
  (min === undefined || value >= min) && (max === undefined || value <= max);

const parseNumber = (text: string): number | undefined => {
  const trimmed = text.trim();
  const n = trimmed === '' ? Number.NaN : Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
};

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

export const KINDS: Readonly<Record<Kind, KindRules>> = {
  int: {
    parse: parseNumber,
    accepts: (value, bounds) =>
      typeof value === 'number' && Number.isInteger(value) && inBounds(value, bounds),
    range: ({ min, max }) => `an integer from ${min ?? '-∞'} to ${max ?? '∞'}`,
  },
  number: {
    parse: parseNumber,
    accepts: (value, bounds) =>
      typeof value === 'number' && Number.isFinite(value) && inBounds(value, bounds),
    range: ({ min, max }) => `a number from ${min ?? '-∞'} to ${max ?? '∞'}`,
  },
  boolean: {
    parse: (text) => {
      const lower = text.trim().toLowerCase();
      return TRUE_WORDS.includes(lower) ? true : FALSE_WORDS.includes(lower) ? false : undefined;
    },
    accepts: (value) => typeof value === 'boolean',
    range: () => 'true or false',
  },
  level: {
    parse: (text) => text.trim(),
    accepts: (value) => LOG_LEVELS.includes(value as LogLevel),
    range: () => `one of ${LOG_LEVELS.join(', ')}`,
  },
  list: {
    parse: (text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    accepts: (value) => Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0),
    range: () => 'a comma-separated list of non-empty values',
  },
  string: {
    parse: (text) => text.trim(),
    accepts: (value) => typeof value === 'string' && value.length > 0,
    range: () => 'a non-empty string',
  },
};
