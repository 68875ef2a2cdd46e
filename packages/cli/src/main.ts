/**
 * Dispatch: `translation-status <command> [options]`. Add a command by adding it to COMMANDS.
 */
import type { Command } from './command.js';
import { UsageError } from './command.js';
import type { CliIo } from './io.js';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE } from './io.js';
import { createCommand } from './create.js';
import { demoCommand } from './demo.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';
import { waitCommand } from './wait.js';

export const COMMANDS: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  create: createCommand,
  status: statusCommand,
  wait: waitCommand,
  demo: demoCommand,
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: translation-status <command> [options]

Commands:
${lines.join('\n')}

Run 'translation-status <command> --help' for the options of a command.

Exit codes: 0 success (the job completed), 1 the job failed, 2 usage error, 3 timed out,
4 other error (server or network), 130 interrupted (Ctrl-C).
`;
}

/** Runs the CLI; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(mainHelp());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`translation-status: unknown command '${name}'.\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `translation-status ${name}: ${error.message}\nRun 'translation-status ${name} --help' for usage.\n`,
      );
      return EXIT_USAGE;
    }
    io.stderr.write(
      `translation-status ${name}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_ERROR;
  }
}
