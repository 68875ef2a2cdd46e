/**
 * Settings as the server uses them, all derived from the one table (table.ts): their type, the
 * defaults, and their validation from code (`validateSettings`) or from flags and the environment
 * (`resolveSettings`).
 */
import { KINDS } from './kinds.js';
import { isStoreSetting, MEMORY_STORE, redactUrl } from './store-url.js';
import type { SettingRow } from './table.js';
import { SETTINGS } from './table.js';
import { decodeWebhookSecret } from './webhook-secret.js';

export type { LogLevel } from './kinds.js';
export { LOG_LEVELS } from './kinds.js';

type Table = typeof SETTINGS;

/** Every setting, by the key of its row in `SETTINGS` (see there, or `--help`, for each one). */
export type ServerSettings = { -readonly [K in keyof Table]: Table[K]['default'] };

/** One row of the table with its key. */
export type SettingSpec = SettingRow & { readonly key: keyof ServerSettings };

/** The table as a list, in `--help` order. */
export const SETTING_SPECS: readonly SettingSpec[] = Object.entries(SETTINGS).map(([key, spec]) => ({
  key: key as keyof ServerSettings,
  ...(spec as SettingRow),
}));

/** The defaults, read off the table. */
export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze(
  Object.fromEntries(SETTING_SPECS.map((spec) => [spec.key, freezeValue(spec.default)])) as ServerSettings,
);

function freezeValue(value: unknown): unknown {
  return Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
}

/** A setting with a bad value; `setting` is the flag name. */
export class SettingsError extends Error {
  readonly code = 'invalid_setting';
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.name = 'SettingsError';
    this.setting = setting;
  }
}

function invalid(spec: SettingSpec, value: unknown, source: string): SettingsError {
  // A secret's value never reaches a message: error output ends up in logs.
  const shown = spec.secret === true ? '(hidden)' : JSON.stringify(value);
  return new SettingsError(
    spec.flag,
    `Invalid ${source}: ${shown}. It must be ${KINDS[spec.kind].range(spec)}.`,
  );
}

/** `value` if `spec` accepts it (lists copied, so settings never share an array), else throws. */
function checked(spec: SettingSpec, value: unknown, source: string): unknown {
  if (!KINDS[spec.kind].accepts(value, spec)) throw invalid(spec, value, source);
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

/** Fills in defaults and validates every field and the cross-field rules. Throws SettingsError. */
export function validateSettings(partial: Partial<ServerSettings> = {}): ServerSettings {
  const result: Record<string, unknown> = {};
  for (const spec of SETTING_SPECS) {
    const value = partial[spec.key];
    result[spec.key] =
      value === undefined ? freezeValue(spec.default) : checked(spec, value, `${spec.key} (--${spec.flag})`);
  }
  const settings = result as ServerSettings;
  if (settings.pollMinMs > settings.pollMaxMs) {
    throw new SettingsError(
      'poll-min-ms',
      `Invalid pollMinMs (--poll-min-ms): ${settings.pollMinMs}. It must not exceed pollMaxMs (${settings.pollMaxMs}).`,
    );
  }
  if (settings.maxResultWaitSeconds < settings.maxWaitSeconds) {
    throw new SettingsError(
      'max-result-wait',
      `Invalid maxResultWaitSeconds (--max-result-wait): ${settings.maxResultWaitSeconds}. It must not be below maxWaitSeconds (${settings.maxWaitSeconds}): holds that wake only on the ending may be longer, not shorter.`,
    );
  }
  const faultSum =
    settings.faultErrorRate + settings.faultThrottleRate + settings.faultDropRate + settings.faultHangRate;
  if (faultSum > 1 + 1e-9) {
    throw new SettingsError(
      'fault-error-rate',
      `Invalid fault rates: --fault-error-rate + --fault-throttle-rate + --fault-drop-rate + --fault-hang-rate = ${faultSum}. The sum must be at most 1.`,
    );
  }
  if (!isStoreSetting(settings.storeUrl)) {
    // A URL may carry a password: it is shown redacted.
    throw new SettingsError(
      'store',
      `Invalid storeUrl (--store): ${JSON.stringify(redactUrl(settings.storeUrl))}. It must be ` +
        `${MEMORY_STORE}, or a Redis URL: redis://[user:password@]host[:port][/db] (rediss:// for TLS).`,
    );
  }
  for (const secret of settings.webhookSecrets) {
    const decoded = decodeWebhookSecret(secret);
    if (!decoded.ok) {
      throw new SettingsError(
        'webhook-secret',
        `Invalid webhookSecrets (--webhook-secret): ${decoded.problem}.`,
      );
    }
  }
  return settings;
}

/** The value `text` stands for, checked; throws naming `source` (a flag or a variable). */
function fromText(spec: SettingSpec, text: string, source: string): unknown {
  const value = KINDS[spec.kind].parse(text);
  if (value === undefined) throw invalid(spec, text, source);
  return checked(spec, value, source);
}

/**
 * Settings from parsed flags (as `parseArgs` returns them) and environment variables: flags win over the
 * environment, the environment over the defaults. Throws SettingsError naming the flag or variable.
 */
export function resolveSettings(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  environment: Readonly<Record<string, string | undefined>> = {},
): ServerSettings {
  const partial: Record<string, unknown> = {};
  for (const spec of SETTING_SPECS) {
    const flag = flags[spec.flag];
    if (flag !== undefined) {
      const source = `--${spec.flag}`;
      partial[spec.key] =
        typeof flag === 'boolean' ? checked(spec, flag, source) : fromText(spec, flag, source);
      continue;
    }
    const name = spec.env.find((n) => environment[n] !== undefined && environment[n] !== '');
    if (name !== undefined) partial[spec.key] = fromText(spec, environment[name] ?? '', name);
  }
  return validateSettings(partial);
}
