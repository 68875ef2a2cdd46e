/**
 * `translation-status serve`: run the simulated translation server until SIGINT or SIGTERM.
 */
import type { RunningServer, ServerSettings } from '@translation-status/server';
import {
  resolveSettings,
  SettingsError,
  settingsArgOptions,
  settingsHelp,
  startServer,
} from '@translation-status/server';
import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import type { CliIo } from './io.js';
import { EXIT_OK } from './io.js';

export const SERVE_HELP = `Usage: translation-status serve [options]

Runs the simulated video-translation server (docs/protocol.md). GET /status answers a default job
that takes --delay ms. Flags win over environment variables, which win over the defaults.

Options:
${settingsHelp()}
  -h, --help                     show this help
`;

/** Parses serve's arguments into settings; throws UsageError naming the bad flag or setting. */
export function parseServeArgs(args: readonly string[], env: CliIo['env']): ServerSettings | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { ...settingsArgOptions(), help: { type: 'boolean', short: 'h' } },
      allowNegative: true,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (values['help'] === true) return 'help';
  try {
    return resolveSettings(values, env);
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** Resolves once a termination signal arrives, then stops listening for it. */
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

export const serveCommand: Command = {
  summary: 'run the simulated translation server',
  async run(args, io) {
    const parsed = parseServeArgs(args, io.env);
    if (parsed === 'help') {
      io.stdout.write(SERVE_HELP);
      return EXIT_OK;
    }
    const server: RunningServer = await startServer({ ...parsed, prettyLogs: io.stdout.isTTY === true });
    io.stdout.write(`listening on ${server.url}\n`);
    const signal = await nextSignal();
    server.app.log.info({ signal }, 'shutting down');
    // A second signal while draining means "now".
    const force = (): void => process.exit(130);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    await server.close();
    process.off('SIGINT', force);
    process.off('SIGTERM', force);
    return EXIT_OK;
  },
};
