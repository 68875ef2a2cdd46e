/** Dispatch: `translation-status <command> [options]`; every outcome becomes an exit code here. */
import { readFileSync } from 'node:fs';
import { asksForHelp } from './args/parse.js';
import { didYouMean } from './args/suggest.js';
import { UsageError } from './args/usage-error.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import type { CliIo } from './output/io.js';
import { EXIT, EXIT_MEANINGS } from './runtime/exit-codes.js';
import { reportError } from './runtime/report.js';

/** The package's version, read from its package.json (one directory above src/ and dist/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  const exits = Object.entries(EXIT_MEANINGS).map(([code, meaning]) => `  ${code.padEnd(5)}${meaning}`);
  return `Usage: translation-status <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     show this help
  -v, --version  print the version

Run 'translation-status <command> --help' for the options of a command.

Exit codes:
${exits.join('\n')}
`;
}

/** `--json` before any `--`, for commands that have it: then errors are JSON on stdout too. */
function wantsJson(command: Command, argv: readonly string[]): boolean {
  if (!Object.hasOwn(command.spec.flags, 'json')) return false;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs the CLI; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(mainHelp());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${cliVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    const known = COMMANDS.map((c) => c.name);
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
    return reportError('', new UsageError(`${what}.${didYouMean(name, known)}`), io, false);
  }
  if (asksForHelp(rest)) {
    io.stdout.write(command.help);
    return EXIT.ok;
  }
  const json = wantsJson(command, rest);
  try {
    return await command.run(command.parse(rest, io.env), io);
  } catch (error) {
    return reportError(command.name, error, io, json);
  }
}
