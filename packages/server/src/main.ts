/**
 * `translation-status-server`: the server package's own command, so an installed server runs without
 * the CLI package. Flags and environment variables are the settings table's (settings/table.ts); SIGINT or
 * SIGTERM drains and exits, a second signal exits at once.
 */
import { parseArgs } from 'node:util';
import type { RunningServer } from './server.js';
import { startServer } from './server.js';
import { settingsArgOptions, settingsHelp } from './settings/help.js';
import type { ServerSettings } from './settings/settings.js';
import { resolveSettings, SettingsError } from './settings/settings.js';

export const SERVER_COMMAND = 'translation-status-server';

export function serverHelp(): string {
  return `Usage: ${SERVER_COMMAND} [options]

Runs the simulated video-translation server. GET /status answers a default job that takes --delay ms.
Flags win over environment variables, which win over the defaults.

Options:
${settingsHelp()}
  -h, --help                     show this help
`;
}

/**
 * Parses the command line into settings. Throws SettingsError naming the bad setting, or Node's
 * parseArgs error (code `ERR_PARSE_ARGS_*`) for an unknown flag or a missing value.
 */
export function parseServerArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerSettings | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: { ...settingsArgOptions(), help: { type: 'boolean', short: 'h' } },
    allowNegative: true,
    strict: true,
    allowPositionals: false,
  });
  if (values['help'] === true) return 'help';
  return resolveSettings(values, env);
}

function isUsageError(error: unknown): error is Error {
  if (error instanceof SettingsError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Resolves with the first SIGINT or SIGTERM, then stops listening for them. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * Waits for SIGINT or SIGTERM, then drains the server (held waits answered, connections closed); a
 * second signal while draining exits at once with 130. The bin and the CLI's `serve` both end this way.
 */
export async function serveUntilSignal(server: RunningServer): Promise<void> {
  const signal = await nextSignal();
  server.app.log.info({ signal }, 'shutting down');
  const force = (): void => process.exit(130);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  try {
    await server.close();
  } finally {
    process.off('SIGINT', force);
    process.off('SIGTERM', force);
  }
}

export interface ServerIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Runs the command; resolves to the exit code (0 after a clean shutdown, 2 for bad flags). */
export async function main(args: readonly string[], io: ServerIo): Promise<number> {
  let parsed: ServerSettings | 'help';
  try {
    parsed = parseServerArgs(args, io.env);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    io.stderr.write(`${SERVER_COMMAND}: ${error.message}\nRun '${SERVER_COMMAND} --help' for usage.\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(serverHelp());
    return 0;
  }
  const server = await startServer({ ...parsed, prettyLogs: io.stdout.isTTY === true });
  io.stdout.write(`listening on ${server.url}\n`);
  await serveUntilSignal(server);
  return 0;
}
