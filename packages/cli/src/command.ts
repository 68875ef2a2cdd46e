/**
 * A subcommand of `translation-status` is one record: a summary for the command list, the help screen,
 * a parser and a runner. `defineCommand` derives the first three from one declaration of its flags.
 */
import type { FlagTable, Positional } from './args/flags.js';
import { renderHelp } from './args/help.js';
import { parseArgs, type Env, type ParsedArgs } from './args/parse.js';
import type { CliIo } from './output/io.js';

export interface Command<Parsed = unknown> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The whole --help screen. */
  readonly help: string;
  /** The declarations help and parse come from; the README's table is checked against them. */
  readonly spec: CommandSpec<FlagTable>;
  /** argv after the command's name (without --help) → typed arguments; throws UsageError. */
  parse(argv: readonly string[], env: Env): Parsed;
  /** Resolves to the exit code; writes every outcome itself. */
  run(parsed: Parsed, io: CliIo): Promise<number>;
}

export interface CommandSpec<F extends FlagTable> {
  readonly name: string;
  readonly summary: string;
  /** What the command does and prints, for --help. */
  readonly description: string;
  readonly positionals: readonly Positional[];
  readonly flags: F;
  /** Exit code → what it means for this command. */
  readonly exits: Readonly<Record<number, string>>;
}

export interface CommandDefinition<F extends FlagTable, Parsed> extends CommandSpec<F> {
  /** Checks that span several flags and shapes the result; the values are already valid one by one. */
  build(args: ParsedArgs<F>, env: Env): Parsed;
  run(parsed: Parsed, io: CliIo): Promise<number>;
}

export function defineCommand<const F extends FlagTable, Parsed>(
  definition: CommandDefinition<F, Parsed>,
): Command<Parsed> {
  const spec: CommandSpec<F> = {
    name: definition.name,
    summary: definition.summary,
    description: definition.description,
    positionals: definition.positionals,
    flags: definition.flags,
    exits: definition.exits,
  };
  return {
    name: spec.name,
    summary: spec.summary,
    help: renderHelp(spec),
    spec,
    parse: (argv, env) => definition.build(parseArgs(spec, argv, env), env),
    run: (parsed, io) => definition.run(parsed, io),
  };
}
