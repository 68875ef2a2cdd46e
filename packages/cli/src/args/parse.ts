/**
 * The one command-line parser: argv and environment in, typed values out, driven by a command's flag
 * table. Every error is a UsageError that names the flag (or variable), the bad value and what is
 * accepted, in the words the help screen uses.
 */
import type { Flag, FlagTable, FlagValues, Positional } from './flags.js';
import { didYouMean } from './suggest.js';
import { UsageError } from './usage-error.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ArgsSpec<F extends FlagTable> {
  readonly flags: F;
  readonly positionals: readonly Positional[];
}

export interface ParsedArgs<F extends FlagTable> {
  readonly values: FlagValues<F>;
  /** One per declared positional, `undefined` when an optional one is left out. */
  readonly positionals: readonly (string | undefined)[];
}

/** `-h` or `--help` before any `--`: the caller prints help instead of parsing. */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const token of argv) {
    if (token === '--') return false;
    if (token === '--help' || token === '-h') return true;
  }
  return false;
}

/** A token that is a value even though it starts with a dash: `-5`, `-0.5s`. */
function looksNegative(token: string): boolean {
  return /^-\.?\d/.test(token);
}

/** How a flag is written in messages and help. */
export function flagLabel(name: string): string {
  return `--${name}`;
}

function shown(flag: Flag, raw: string): string {
  if (flag.secret === true) return '(hidden)';
  return JSON.stringify(flag.redact === undefined ? raw : flag.redact(raw));
}

function readValue(flag: Flag, raw: string, from: string): unknown {
  const value = flag.read(raw);
  if (value === undefined) {
    throw new UsageError(
      `invalid ${from}: ${shown(flag, raw)}. It must be ${flag.accepts ?? 'true or false'}.`,
    );
  }
  return value;
}

export function parseArgs<F extends FlagTable>(
  spec: ArgsSpec<F>,
  argv: readonly string[],
  env: Env,
): ParsedArgs<F> {
  const names = Object.keys(spec.flags);
  const byShort = new Map(
    Object.entries(spec.flags).flatMap(([name, flag]) =>
      flag.short === undefined ? [] : [[flag.short, name]],
    ),
  );
  const raw = new Map<string, string>();
  const positionals: string[] = [];
  const set = (name: string, value: string, written: string): void => {
    if (raw.has(name)) throw new UsageError(`${written} was given twice.`);
    raw.set(name, value);
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-' || looksNegative(token)) {
      positionals.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = token.indexOf('=');
    const written = eq === -1 ? token : token.slice(0, eq);
    let name = long ? written.slice(2) : byShort.get(written.slice(1));
    let negated = false;
    if (long && name !== undefined && !Object.hasOwn(spec.flags, name) && name.startsWith('no-')) {
      const base = name.slice(3);
      if (spec.flags[base]?.negatable === true) {
        name = base;
        negated = true;
      }
    }
    const flag = name === undefined || !Object.hasOwn(spec.flags, name) ? undefined : spec.flags[name];
    if (name === undefined || flag === undefined) {
      const typed = long ? written.slice(2) : written.slice(1);
      throw new UsageError(`unknown flag ${written}.${didYouMean(typed, names, '--')}`);
    }
    if (flag.metavar === undefined) {
      if (eq !== -1) throw new UsageError(`${written} takes no value (got ${token}).`);
      set(name, negated ? 'false' : 'true', written);
      continue;
    }
    if (negated) throw new UsageError(`unknown flag ${written}.`);
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next !== undefined && (!next.startsWith('-') || looksNegative(next) || next === '-')) {
        value = next;
        i += 1;
      }
    }
    if (value === undefined) {
      throw new UsageError(`${written} needs a value: ${flag.metavar}, ${flag.accepts ?? flag.help}.`);
    }
    set(name, value, written);
  }

  if (positionals.length > spec.positionals.length) {
    throw new UsageError(`unexpected argument '${positionals.slice(spec.positionals.length).join(' ')}'.`);
  }
  spec.positionals.forEach((positional, index) => {
    const value = positionals[index];
    if (value === undefined && positional.optional !== true) {
      throw new UsageError(`the ${positional.name} is required: ${positional.help}.`);
    }
    if (value?.trim() === '')
      throw new UsageError(`the ${positional.name} must not be empty: ${positional.help}.`);
  });

  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const given = raw.get(name);
    const fromEnv = flag.env === undefined ? undefined : env[flag.env];
    if (given !== undefined) values[name] = readValue(flag, given, flagLabel(name));
    else if (fromEnv !== undefined && fromEnv !== '')
      values[name] = readValue(flag, fromEnv, flag.env ?? name);
    else if (flag.required === true) throw new UsageError(`${flagLabel(name)} is required: ${flag.help}.`);
    else values[name] = flag.default;
  }
  return {
    values: values as FlagValues<F>,
    positionals: spec.positionals.map((_, index) => positionals[index]),
  };
}
