/**
 * Pure argument parsing for the client commands (create, status, wait, demo): argv and environment in,
 * typed options out, or a UsageError that names the flag, the bad value and what is accepted.
 */
import type { TransportMode } from '@translation-status/client';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';
import { parseDuration } from './duration.js';
import type { CliIo } from './io.js';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';
export const TRANSPORTS: readonly TransportMode[] = ['auto', 'sse', 'long-poll', 'poll'];

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Where the server is and how to authenticate: shared by create, status and wait. */
export interface Connection {
  readonly baseUrl: string;
  /** From --api-key or TRANSLATION_STATUS_API_KEY; never printed. */
  readonly apiKey: string | undefined;
  readonly json: boolean;
}

export const CONNECTION_OPTIONS = {
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const CONNECTION_HELP = `  --base-url URL         the server (env TRANSLATION_STATUS_URL; default ${DEFAULT_BASE_URL})
  --api-key KEY          sent as a bearer token, never printed (env TRANSLATION_STATUS_API_KEY)
  --json                 machine-readable output
  -h, --help             show this help`;

function parse(args: readonly string[], options: Options, maxPositionals: number) {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
      allowNegative: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).join(' ');
    throw new UsageError(`unexpected argument '${extra}'`);
  }
  return parsed;
}

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function connection(values: Values, env: CliIo['env']): Connection {
  const baseUrl = text(values, 'base-url') ?? nonEmpty(env['TRANSLATION_STATUS_URL']) ?? DEFAULT_BASE_URL;
  const from = text(values, 'base-url') === undefined ? 'TRANSLATION_STATUS_URL' : '--base-url';
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`invalid ${from}: "${baseUrl}". It must be an http:// or https:// URL.`);
  }
  const apiKey = text(values, 'api-key') ?? nonEmpty(env['TRANSLATION_STATUS_API_KEY']);
  if (apiKey === '') throw new UsageError('invalid --api-key: it must not be empty.');
  return { baseUrl, apiKey, json: values['json'] === true };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function positiveNumber(values: Values, name: string, integer: boolean): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new UsageError(`invalid --${name}: "${raw}". It must be ${kind} >= 0.`);
  }
  return n;
}

function transport(values: Values): TransportMode {
  const raw = text(values, 'transport') ?? 'auto';
  const found = TRANSPORTS.find((t) => t === raw);
  if (found === undefined) {
    throw new UsageError(`invalid --transport: "${raw}". It must be one of ${TRANSPORTS.join(', ')}.`);
  }
  return found;
}

function timeout(values: Values): number | undefined {
  const raw = text(values, 'timeout');
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    throw new UsageError(`invalid --timeout: "${raw}". Use a duration such as 90s, 10m, 1h or 1500 (ms).`);
  }
  return ms;
}

// ---- create ----

export interface CreateArgs extends Connection {
  readonly sourceLanguage: string;
  readonly targetLanguage: string;
  readonly videoDurationSeconds: number;
  readonly lipSync: boolean | undefined;
  readonly simulate:
    | { readonly durationMs?: number; readonly outcome?: 'completed' | 'error'; readonly errorCode?: string }
    | undefined;
}

export const CREATE_OPTIONS = {
  ...CONNECTION_OPTIONS,
  source: { type: 'string' },
  target: { type: 'string' },
  duration: { type: 'string' },
  'lip-sync': { type: 'boolean' },
  'simulate-duration-ms': { type: 'string' },
  'simulate-outcome': { type: 'string' },
  'simulate-error-code': { type: 'string' },
} as const satisfies Options;

export function parseCreateArgs(args: readonly string[], env: CliIo['env']): CreateArgs | 'help' {
  const { values } = parse(args, CREATE_OPTIONS, 0);
  if (values['help'] === true) return 'help';
  const target = text(values, 'target');
  if (target === undefined) throw new UsageError('--target is required (a language code such as es).');
  const duration = positiveNumber(values, 'duration', false);
  if (duration === undefined || duration === 0) {
    throw new UsageError('--duration is required: the video length in seconds (> 0).');
  }
  const rawOutcome = text(values, 'simulate-outcome');
  const outcome = rawOutcome === 'completed' || rawOutcome === 'error' ? rawOutcome : undefined;
  if (rawOutcome !== undefined && outcome === undefined) {
    throw new UsageError(`invalid --simulate-outcome: "${rawOutcome}". It must be completed or error.`);
  }
  const durationMs = positiveNumber(values, 'simulate-duration-ms', true);
  const errorCode = text(values, 'simulate-error-code');
  const simulate: NonNullable<CreateArgs['simulate']> = {
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(outcome === undefined ? {} : { outcome }),
    ...(errorCode === undefined ? {} : { errorCode }),
  };
  const lipSync = values['lip-sync'];
  return {
    ...connection(values, env),
    sourceLanguage: text(values, 'source') ?? 'en',
    targetLanguage: target,
    videoDurationSeconds: duration,
    lipSync: typeof lipSync === 'boolean' ? lipSync : undefined,
    simulate: Object.keys(simulate).length === 0 ? undefined : simulate,
  };
}

// ---- status ----

export interface StatusArgs extends Connection {
  /** Undefined: the server's default job at GET /status. */
  readonly jobId: string | undefined;
}

export function parseStatusArgs(args: readonly string[], env: CliIo['env']): StatusArgs | 'help' {
  const { values, positionals } = parse(args, CONNECTION_OPTIONS, 1);
  if (values['help'] === true) return 'help';
  return { ...connection(values, env), jobId: positionals[0] };
}

// ---- wait ----

export interface WaitArgs extends StatusArgs {
  readonly timeoutMs: number | undefined;
  readonly transport: TransportMode;
}

export const WAIT_OPTIONS = {
  ...CONNECTION_OPTIONS,
  timeout: { type: 'string' },
  transport: { type: 'string' },
} as const satisfies Options;

export function parseWaitArgs(args: readonly string[], env: CliIo['env']): WaitArgs | 'help' {
  const { values, positionals } = parse(args, WAIT_OPTIONS, 1);
  if (values['help'] === true) return 'help';
  return {
    ...connection(values, env),
    jobId: positionals[0],
    timeoutMs: timeout(values),
    transport: transport(values),
  };
}

// ---- demo ----

export interface DemoArgs {
  readonly timeScale: number;
  readonly seed: number;
  readonly transport: TransportMode;
  readonly json: boolean;
}

/** 90, 120 and 60 s videos with lip sync take 2.7 to 5 times their length; × 0.03 that is 5 to 18 s. */
export const DEMO_DEFAULTS = { timeScale: 0.03, seed: 1 } as const;

export const DEMO_OPTIONS = {
  'time-scale': { type: 'string' },
  seed: { type: 'string' },
  transport: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export function parseDemoArgs(args: readonly string[]): DemoArgs | 'help' {
  const { values } = parse(args, DEMO_OPTIONS, 0);
  if (values['help'] === true) return 'help';
  const timeScale = positiveNumber(values, 'time-scale', false) ?? DEMO_DEFAULTS.timeScale;
  if (timeScale === 0 || timeScale > 1) {
    throw new UsageError(`invalid --time-scale: ${timeScale}. It must be greater than 0 and at most 1.`);
  }
  const seed = positiveNumber(values, 'seed', true) ?? DEMO_DEFAULTS.seed;
  if (seed > 2 ** 32 - 1) throw new UsageError(`invalid --seed: ${seed}. It must be from 0 to 4294967295.`);
  return { timeScale, seed, transport: transport(values), json: values['json'] === true };
}
