/**
 * `translation-status serve`: run the simulated translation server until SIGINT or SIGTERM. Its flags
 * are the server's settings table, turned into CLI flags here, so a new setting is a new flag.
 */
import type { RunningServer } from '@translation-status/server';
import type { ServerSettings, SettingSpec } from '@translation-status/server/settings';
import {
  DEFAULT_SETTINGS,
  LOG_LEVELS,
  resolveSettings,
  SETTING_SPECS,
  SettingsError,
} from '@translation-status/server/settings';
import { choiceFlag, numberFlag, textFlag, toggleFlag, type Flag } from '../args/flags.js';
import { UsageError } from '../args/usage-error.js';
import { defineCommand } from '../command.js';
import { EXIT } from '../runtime/exit-codes.js';

const METAVARS: Readonly<Record<SettingSpec['kind'], string>> = {
  int: 'N',
  number: 'X',
  string: 'TEXT',
  boolean: '',
  list: 'LIST',
  level: 'LEVEL',
};

function defaultText(spec: SettingSpec): string {
  const value = DEFAULT_SETTINGS[spec.key];
  if (spec.secret === true) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  return String(value);
}

/** One setting as a flag; the values stay text, which the server's own `resolveSettings` reads. */
function settingFlag(spec: SettingSpec): Flag {
  const common = {
    help: spec.description,
    defaultText: defaultText(spec),
    ...(spec.secret === true ? { secret: true as const } : {}),
  };
  const env = spec.env.length === 0 ? '' : `; env ${spec.env.join(', ')}`;
  const withEnv = { ...common, defaultText: `${common.defaultText}${env}` };
  const metavar = METAVARS[spec.kind];
  switch (spec.kind) {
    case 'boolean':
      return toggleFlag(withEnv);
    case 'int':
    case 'number': {
      const range = {
        ...(spec.min === undefined ? {} : { min: spec.min }),
        ...(spec.max === undefined ? {} : { max: spec.max }),
        integer: spec.kind === 'int',
      };
      const flag = numberFlag({ ...withEnv, metavar, ...range });
      return { ...flag, read: (raw) => (flag.read(raw) === undefined ? undefined : raw) };
    }
    case 'level':
      return choiceFlag({ ...withEnv, metavar, values: LOG_LEVELS });
    case 'list':
      return textFlag({ ...withEnv, metavar, accepts: 'a comma-separated list' });
    case 'string':
      return textFlag({ ...withEnv, metavar });
  }
}

const SETTING_FLAGS: Readonly<Record<string, Flag>> = Object.fromEntries(
  SETTING_SPECS.map((spec) => [spec.flag, settingFlag(spec)]),
);

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'run the simulated translation server',
  description: `Runs the simulated video-translation server (docs/protocol.md) until Ctrl-C or SIGTERM.
GET /status answers a default job that takes --delay ms. Flags win over environment variables, which
win over the defaults.`,
  positionals: [],
  flags: SETTING_FLAGS,
  exits: {
    [EXIT.ok]: 'stopped by SIGINT or SIGTERM after closing cleanly',
    [EXIT.usage]: 'usage error',
    [EXIT.error]: 'the server could not start (e.g. the port is taken)',
  },
  build({ values }, env): ServerSettings {
    const flags = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [
        name,
        typeof value === 'string' || typeof value === 'boolean' ? value : undefined,
      ]),
    );
    try {
      return resolveSettings(flags, env);
    } catch (error) {
      if (error instanceof SettingsError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
  },
  async run(settings, io) {
    // Loaded here, not above: every other command would pay for Fastify and Redis at startup.
    const { serveUntilSignal, startServer } = await import('@translation-status/server');
    const server: RunningServer = await startServer({ ...settings, prettyLogs: io.stdout.isTTY === true });
    io.stdout.write(`listening on ${server.url}\n`);
    await serveUntilSignal(server);
    return EXIT.ok;
  },
});
