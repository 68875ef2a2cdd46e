import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { settingsArgOptions, settingsHelp } from './help.js';
import {
  DEFAULT_SETTINGS,
  resolveSettings,
  SETTING_SPECS,
  SettingsError,
  validateSettings,
} from './settings.js';

function fromArgv(args: string[], env: Record<string, string> = {}) {
  const { values } = parseArgs({ args, options: settingsArgOptions(), allowNegative: true, strict: true });
  return resolveSettings(values, env);
}

describe('validateSettings', () => {
  it('returns the defaults for nothing', () => {
    expect(validateSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    [{ port: -1 }, 'port (--port): -1. It must be an integer from 0 to 65535'],
    [{ port: 1.5 }, 'an integer'],
    [{ errorRate: 1.2 }, 'errorRate (--error-rate): 1.2. It must be a number from 0 to 1'],
    [{ timeScale: Number.NaN }, 'timeScale'],
    [{ maxWaitSeconds: 0 }, 'max-wait'],
    [{ logLevel: 'loud' as never }, 'one of fatal, error, warn, info, debug, trace, silent'],
    [{ host: '' }, 'a non-empty string'],
    [{ longPoll: 'yes' as never }, 'true or false'],
    [{ pollMinMs: 500, pollMaxMs: 100 }, 'must not exceed pollMaxMs'],
    [
      { maxResultWaitSeconds: 3601 },
      'maxResultWaitSeconds (--max-result-wait): 3601. It must be an integer from 1 to 3600',
    ],
    [{ maxWaitSeconds: 60, maxResultWaitSeconds: 30 }, 'must not be below maxWaitSeconds (60)'],
    [{ faultErrorRate: 0.6, faultDropRate: 0.6 }, 'The sum must be at most 1'],
  ])('rejects %j', (partial, message) => {
    expect(() => validateSettings(partial)).toThrow(SettingsError);
    expect(() => validateSettings(partial)).toThrow(message);
  });

  it('accepts edge values', () => {
    expect(validateSettings({ port: 0, errorRate: 1, timeScale: 0, corsOrigins: ['*'] })).toMatchObject({
      port: 0,
      errorRate: 1,
      corsOrigins: ['*'],
    });
  });
});

describe('resolveSettings', () => {
  it('parses flags, with flags winning over env and env over defaults', () => {
    const settings = fromArgv(['--port', '0', '--delay', '1000', '--no-events'], {
      TRANSLATION_STATUS_PORT: '4000',
      TRANSLATION_STATUS_ERROR_RATE: '0.25',
      TRANSLATION_STATUS_BATCH: 'false',
    });
    expect(settings).toMatchObject({
      port: 0,
      delayMs: 1000,
      events: false,
      errorRate: 0.25,
      batch: false,
      longPoll: true,
      host: DEFAULT_SETTINGS.host,
    });
  });

  it('reads the short environment aliases PORT, HOST and LOG_LEVEL', () => {
    expect(fromArgv([], { PORT: '8080', HOST: '0.0.0.0', LOG_LEVEL: 'warn' })).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'warn',
    });
  });

  it('splits CORS origins', () => {
    expect(fromArgv(['--cors-origin', 'https://a.example, https://b.example']).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it.each([
    [['--port', 'abc'], {}, 'Invalid --port: "abc". It must be an integer from 0 to 65535.'],
    [['--error-rate', '2'], {}, 'Invalid --error-rate: 2. It must be a number from 0 to 1.'],
    [['--time-scale', ''], {}, 'Invalid --time-scale: ""'],
    [
      [],
      { TRANSLATION_STATUS_MAX_WAIT: '0' },
      'Invalid TRANSLATION_STATUS_MAX_WAIT: 0. It must be an integer from 1 to 300.',
    ],
    [
      ['--max-wait', '60'],
      { TRANSLATION_STATUS_MAX_RESULT_WAIT: '45' },
      'Invalid maxResultWaitSeconds (--max-result-wait): 45. It must not be below maxWaitSeconds (60)',
    ],
    [
      [],
      { TRANSLATION_STATUS_EVENTS: 'maybe' },
      'Invalid TRANSLATION_STATUS_EVENTS: "maybe". It must be true or false.',
    ],
  ])('names the setting, value and range for %j %j', (args, env, message) => {
    expect(() => fromArgv(args, env)).toThrow(message);
  });
});

describe('settingsHelp', () => {
  it('documents every setting with its flag, default and environment variable', () => {
    const help = settingsHelp();
    for (const spec of SETTING_SPECS) {
      expect(help).toContain(spec.flag);
      expect(help).toContain(spec.env[0] ?? 'missing');
    }
    expect(help).toContain('default 3000');
  });
});

describe('the settings table', () => {
  it('gives every setting its own flag and environment variables', () => {
    const flags = SETTING_SPECS.map((spec) => spec.flag);
    const names = SETTING_SPECS.flatMap((spec) => spec.env);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('derives each variable name from the flag unless the row names it', () => {
    expect(SETTING_SPECS.find((spec) => spec.key === 'faultDropRate')?.env).toEqual([
      'TRANSLATION_STATUS_FAULT_DROP_RATE',
    ]);
    expect(SETTING_SPECS.find((spec) => spec.key === 'corsOrigins')?.env).toEqual([
      'TRANSLATION_STATUS_CORS_ORIGINS',
    ]);
    expect(SETTING_SPECS.find((spec) => spec.key === 'port')?.env).toEqual([
      'TRANSLATION_STATUS_PORT',
      'PORT',
    ]);
  });

  it('is documented row by row in docs/server.md (setting, flag and every variable)', () => {
    const doc = readFileSync(new URL('../../../../docs/server.md', import.meta.url), 'utf8');
    for (const spec of SETTING_SPECS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.key}\``));
      expect(row, spec.key).toBeDefined();
      expect(row).toContain(`\`--${spec.flag}\``);
      for (const name of spec.env) expect(row).toContain(`\`${name}\``);
    }
  });
});
