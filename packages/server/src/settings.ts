/**
 * Server settings: one table (`SETTING_SPECS`) gives each setting its flag, environment variables,
 * default, accepted range and help text. The CLI, the help screen and validation all read it.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerSettings {
  /** TCP port; 0 picks a free one. @default 3000 */
  port: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host: string;
  /** Processing time of the default job behind GET /status, in ms (not scaled). @default 10000 */
  delayMs: number;
  /** Fraction of jobs (the default job included) that end in error. @default 0 */
  errorRate: number;
  /** Seed of every random draw (job plans, ETA noise, faults). @default 1 */
  seed: number;
  /** Multiplies every modelled job duration; 0.01 makes a 90 s video finish in a few seconds. @default 1 */
  timeScale: number;
  /** Cap of `Prefer: wait`, in seconds. @default 30 */
  maxWaitSeconds: number;
  /** Half-width of the per-job ETA bias (0.15 = ±15%). @default 0.15 */
  etaError: number;
  /** Lower bound of Poll-After-Ms. @default 100 */
  pollMinMs: number;
  /** Upper bound of Poll-After-Ms. @default 30000 */
  pollMaxMs: number;
  /** Interval of SSE heartbeat comments. @default 15000 */
  heartbeatMs: number;
  /** Most long-polls and event streams held at once, all clients together; more get 503. @default 10000 */
  maxHeldRequests: number;
  /** Largest accepted request body. @default 16384 */
  bodyLimitBytes: number;
  /** @default 'info' */
  logLevel: LogLevel;
  /** Honour `Prefer: wait`. @default true */
  longPoll: boolean;
  /** Serve GET /jobs/:id/events. @default true */
  events: boolean;
  /** Serve GET /jobs?ids=. @default true */
  batch: boolean;
  /** Origins allowed by CORS; empty = CORS off, '*' = any. @default [] */
  corsOrigins: string[];
  /** Fraction of status requests answered 500 or 503 (half each). @default 0 */
  faultErrorRate: number;
  /** Fraction of status requests answered 429. @default 0 */
  faultThrottleRate: number;
  /** Latency added to every status request, ms. @default 0 */
  faultLatencyMs: number;
  /** Fraction of status and event requests whose connection is destroyed. @default 0 */
  faultDropRate: number;
  /** Fraction of status requests never answered (released at shutdown). @default 0 */
  faultHangRate: number;
  /** Most long-polls and event streams held at once for one client (API key, else address); more get 429. @default 1000 */
  maxHeldPerClient: number;
  /** Longest accepted request target (path and query), in characters; longer gets 414. @default 4096 */
  maxUrlLength: number;
  /** API keys; when any is set every route but /healthz and /openapi.json needs one. @default [] (off) */
  apiKeys: string[];
  /** Requests allowed per client (API key, else address) per window; 0 turns rate limiting off. @default 0 */
  rateLimit: number;
  /** Length of the rate-limit window, ms. @default 60000 */
  rateLimitWindowMs: number;
}

type Kind = 'int' | 'number' | 'string' | 'boolean' | 'list' | 'level';

export interface SettingSpec {
  readonly key: keyof ServerSettings;
  /** Long flag without dashes. */
  readonly flag: string;
  /** Environment variables, first found wins. */
  readonly env: readonly string[];
  readonly kind: Kind;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
  /** Values are never printed (help, error messages). */
  readonly secret?: boolean;
}

const env = (name: string, ...aliases: string[]): string[] => [`TRANSLATION_STATUS_${name}`, ...aliases];

export const SETTING_SPECS: readonly SettingSpec[] = [
  {
    key: 'port',
    flag: 'port',
    env: env('PORT', 'PORT'),
    kind: 'int',
    min: 0,
    max: 65535,
    description: 'TCP port; 0 picks a free one',
  },
  {
    key: 'host',
    flag: 'host',
    env: env('HOST', 'HOST'),
    kind: 'string',
    description: 'interface to listen on',
  },
  {
    key: 'delayMs',
    flag: 'delay',
    env: env('DELAY'),
    kind: 'int',
    min: 0,
    max: 86_400_000,
    description: 'processing time of the default job (GET /status), ms',
  },
  {
    key: 'errorRate',
    flag: 'error-rate',
    env: env('ERROR_RATE'),
    kind: 'number',
    min: 0,
    max: 1,
    description: 'fraction of jobs that end in error',
  },
  {
    key: 'seed',
    flag: 'seed',
    env: env('SEED'),
    kind: 'int',
    min: 0,
    max: 4_294_967_295,
    description: 'seed of every random draw',
  },
  {
    key: 'timeScale',
    flag: 'time-scale',
    env: env('TIME_SCALE'),
    kind: 'number',
    min: 0,
    max: 100,
    description: 'multiplies modelled job durations (0.01 for demos)',
  },
  {
    key: 'maxWaitSeconds',
    flag: 'max-wait',
    env: env('MAX_WAIT'),
    kind: 'int',
    min: 1,
    max: 300,
    description: 'cap of Prefer: wait, seconds',
  },
  {
    key: 'etaError',
    flag: 'eta-error',
    env: env('ETA_ERROR'),
    kind: 'number',
    min: 0,
    max: 0.9,
    description: 'per-job ETA bias, ± fraction',
  },
  {
    key: 'pollMinMs',
    flag: 'poll-min-ms',
    env: env('POLL_MIN_MS'),
    kind: 'int',
    min: 0,
    max: 3_600_000,
    description: 'lower bound of Poll-After-Ms',
  },
  {
    key: 'pollMaxMs',
    flag: 'poll-max-ms',
    env: env('POLL_MAX_MS'),
    kind: 'int',
    min: 1,
    max: 3_600_000,
    description: 'upper bound of Poll-After-Ms',
  },
  {
    key: 'heartbeatMs',
    flag: 'heartbeat-ms',
    env: env('HEARTBEAT_MS'),
    kind: 'int',
    min: 10,
    max: 3_600_000,
    description: 'SSE heartbeat interval, ms',
  },
  {
    key: 'maxHeldRequests',
    flag: 'max-held',
    env: env('MAX_HELD'),
    kind: 'int',
    min: 0,
    max: 1_000_000,
    description: 'most long-polls and event streams held at once, in all (503 beyond)',
  },
  {
    key: 'bodyLimitBytes',
    flag: 'body-limit',
    env: env('BODY_LIMIT'),
    kind: 'int',
    min: 64,
    max: 10_485_760,
    description: 'largest request body, bytes',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: env('LOG_LEVEL', 'LOG_LEVEL'),
    kind: 'level',
    description: LOG_LEVELS.join('|'),
  },
  {
    key: 'longPoll',
    flag: 'long-poll',
    env: env('LONG_POLL'),
    kind: 'boolean',
    description: 'honour Prefer: wait (--no-long-poll to disable)',
  },
  {
    key: 'events',
    flag: 'events',
    env: env('EVENTS'),
    kind: 'boolean',
    description: 'serve Server-Sent Events (--no-events to disable)',
  },
  {
    key: 'batch',
    flag: 'batch',
    env: env('BATCH'),
    kind: 'boolean',
    description: 'serve GET /jobs?ids= (--no-batch to disable)',
  },
  {
    key: 'corsOrigins',
    flag: 'cors-origin',
    env: env('CORS_ORIGINS'),
    kind: 'list',
    description: "comma-separated CORS origins, '*' for any; empty = off",
  },
  {
    key: 'faultErrorRate',
    flag: 'fault-error-rate',
    env: env('FAULT_ERROR_RATE'),
    kind: 'number',
    min: 0,
    max: 1,
    description: 'fraction of status requests answered 500/503',
  },
  {
    key: 'faultThrottleRate',
    flag: 'fault-throttle-rate',
    env: env('FAULT_THROTTLE_RATE'),
    kind: 'number',
    min: 0,
    max: 1,
    description: 'fraction of status requests answered 429',
  },
  {
    key: 'faultLatencyMs',
    flag: 'fault-latency-ms',
    env: env('FAULT_LATENCY_MS'),
    kind: 'int',
    min: 0,
    max: 600_000,
    description: 'latency added to status requests, ms',
  },
  {
    key: 'faultDropRate',
    flag: 'fault-drop-rate',
    env: env('FAULT_DROP_RATE'),
    kind: 'number',
    min: 0,
    max: 1,
    description: 'fraction of status/event requests whose connection is dropped',
  },
  {
    key: 'faultHangRate',
    flag: 'fault-hang-rate',
    env: env('FAULT_HANG_RATE'),
    kind: 'number',
    min: 0,
    max: 1,
    description: 'fraction of status requests never answered',
  },
  {
    key: 'maxHeldPerClient',
    flag: 'max-held-per-client',
    env: env('MAX_HELD_PER_CLIENT'),
    kind: 'int',
    min: 0,
    max: 1_000_000,
    description: 'most long-polls and event streams held at once per client (429 beyond)',
  },
  {
    key: 'maxUrlLength',
    flag: 'max-url-length',
    env: env('MAX_URL_LENGTH'),
    kind: 'int',
    min: 256,
    max: 65_536,
    description: 'longest request target (path and query), characters (414 beyond)',
  },
  {
    key: 'apiKeys',
    flag: 'api-keys',
    env: env('API_KEYS'),
    kind: 'list',
    description: 'comma-separated API keys; empty = authentication off',
    secret: true,
  },
  {
    key: 'rateLimit',
    flag: 'rate-limit',
    env: env('RATE_LIMIT'),
    kind: 'int',
    min: 0,
    max: 1_000_000,
    description: 'requests per client per window; 0 = off',
  },
  {
    key: 'rateLimitWindowMs',
    flag: 'rate-limit-window-ms',
    env: env('RATE_LIMIT_WINDOW_MS'),
    kind: 'int',
    min: 1000,
    max: 3_600_000,
    description: 'rate-limit window, ms',
  },
];

/** The defaults, declared once. */
export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  port: 3000,
  host: '127.0.0.1',
  delayMs: 10_000,
  errorRate: 0,
  seed: 1,
  timeScale: 1,
  maxWaitSeconds: 30,
  etaError: 0.15,
  pollMinMs: 100,
  pollMaxMs: 30_000,
  heartbeatMs: 15_000,
  maxHeldRequests: 10_000,
  bodyLimitBytes: 16_384,
  logLevel: 'info',
  longPoll: true,
  events: true,
  batch: true,
  corsOrigins: [],
  faultErrorRate: 0,
  faultThrottleRate: 0,
  faultLatencyMs: 0,
  faultDropRate: 0,
  faultHangRate: 0,
  maxHeldPerClient: 1000,
  maxUrlLength: 4096,
  apiKeys: [],
  rateLimit: 0,
  rateLimitWindowMs: 60_000,
});

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

function rangeText(spec: SettingSpec): string {
  switch (spec.kind) {
    case 'int':
      return `an integer from ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}`;
    case 'number':
      return `a number from ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}`;
    case 'boolean':
      return 'true or false';
    case 'level':
      return `one of ${LOG_LEVELS.join(', ')}`;
    case 'list':
      return 'a comma-separated list of non-empty values';
    case 'string':
      return 'a non-empty string';
  }
}

function invalid(spec: SettingSpec, value: unknown, source: string): SettingsError {
  // A secret's value never reaches a message: error output ends up in logs.
  const shown = spec.secret === true ? '(hidden)' : JSON.stringify(value);
  return new SettingsError(spec.flag, `Invalid ${source}: ${shown}. It must be ${rangeText(spec)}.`);
}

function checkValue(spec: SettingSpec, value: unknown, source: string): unknown {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(spec, value, source);
      if (spec.kind === 'int' && !Number.isInteger(value)) throw invalid(spec, value, source);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        throw invalid(spec, value, source);
      }
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(spec, value, source);
      return value;
    case 'level':
      if (!LOG_LEVELS.includes(value as LogLevel)) throw invalid(spec, value, source);
      return value;
    case 'list':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0)) {
        throw invalid(spec, value, source);
      }
      return [...(value as string[])];
    case 'string':
      if (typeof value !== 'string' || value.length === 0) throw invalid(spec, value, source);
      return value;
  }
}

/** Fills in defaults and validates every field and the cross-field rules. Throws SettingsError. */
export function validateSettings(partial: Partial<ServerSettings> = {}): ServerSettings {
  const result: Record<string, unknown> = {
    ...DEFAULT_SETTINGS,
    corsOrigins: [...DEFAULT_SETTINGS.corsOrigins],
    apiKeys: [...DEFAULT_SETTINGS.apiKeys],
  };
  for (const spec of SETTING_SPECS) {
    const value = partial[spec.key];
    if (value !== undefined) result[spec.key] = checkValue(spec, value, `${spec.key} (--${spec.flag})`);
  }
  const settings = result as unknown as ServerSettings;
  if (settings.pollMinMs > settings.pollMaxMs) {
    throw new SettingsError(
      'poll-min-ms',
      `Invalid pollMinMs (--poll-min-ms): ${settings.pollMinMs}. It must not exceed pollMaxMs (${settings.pollMaxMs}).`,
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
  return settings;
}

/** `node:util` parseArgs options for every setting (booleans accept --no-<flag>). */
export function settingsArgOptions(): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(
    SETTING_SPECS.map((spec) => [spec.flag, { type: spec.kind === 'boolean' ? 'boolean' : 'string' }]),
  );
}

function parseText(spec: SettingSpec, text: string, source: string): unknown {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const trimmed = text.trim();
      const n = trimmed === '' ? Number.NaN : Number(trimmed);
      if (!Number.isFinite(n)) throw invalid(spec, text, source);
      return n;
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
      if (['0', 'false', 'no', 'off'].includes(lower)) return false;
      throw invalid(spec, text, source);
    }
    case 'list':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case 'level':
    case 'string':
      return text.trim();
  }
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
      partial[spec.key] = typeof flag === 'boolean' ? flag : parseText(spec, flag, `--${spec.flag}`);
      checkValue(spec, partial[spec.key], `--${spec.flag}`);
      continue;
    }
    const name = spec.env.find((n) => environment[n] !== undefined && environment[n] !== '');
    if (name !== undefined) {
      partial[spec.key] = parseText(spec, environment[name] ?? '', name);
      checkValue(spec, partial[spec.key], name);
    }
  }
  return validateSettings(partial);
}

/** Help lines for every setting: flag, environment variables, default. */
export function settingsHelp(): string {
  const lines = SETTING_SPECS.map((spec) => {
    const value = DEFAULT_SETTINGS[spec.key];
    const shown = Array.isArray(value) ? (value.length === 0 ? '(none)' : value.join(',')) : String(value);
    const flag = spec.kind === 'boolean' ? `--[no-]${spec.flag}` : `--${spec.flag} <value>`;
    const range =
      spec.min !== undefined && spec.max !== undefined ? `; range ${spec.min} to ${spec.max}` : '';
    return `  ${flag.padEnd(30)} ${spec.description}\n  ${''.padEnd(30)} default ${shown}${range}; env ${spec.env.join(', ')}`;
  });
  return lines.join('\n');
}
