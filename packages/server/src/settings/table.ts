/**
 * Every server setting, declared once: its default, accepted range, flag, environment variables and
 * help line. The settings type, the defaults, the CLI flags, the environment variables and the help
 * text are all derived from this table (settings.ts, help.ts). Order here is the order of `--help`.
 */
import type { Kind, LogLevel } from './kinds.js';
import { LOG_LEVELS } from './kinds.js';
import { MEMORY_STORE } from './store-url.js';

export interface SettingRow<T = unknown> {
  readonly kind: Kind;
  readonly default: T;
  /** The long flag, without dashes. */
  readonly flag: string;
  /** Environment variables, first found wins: `TRANSLATION_STATUS_<FLAG>` (or `env`) then the aliases. */
  readonly env: readonly string[];
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  /** The help line `--help` shows. */
  readonly description: string;
  /** Values are never printed (help, error messages). */
  readonly secret?: boolean | undefined;
}

interface Declared<T> {
  readonly default: T;
  readonly flag: string;
  readonly description: string;
  /** The variable's name after `TRANSLATION_STATUS_`, when it is not the flag's. */
  readonly env?: string;
  /** Further variables read, such as the conventional `PORT`. */
  readonly aliases?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly secret?: boolean;
}

function declare<T>(kind: Kind, spec: Declared<T>): SettingRow<T> {
  const name = spec.env ?? spec.flag.toUpperCase().replaceAll('-', '_');
  return {
    kind,
    default: spec.default,
    flag: spec.flag,
    env: [`TRANSLATION_STATUS_${name}`, ...(spec.aliases ?? [])],
    min: spec.min,
    max: spec.max,
    description: spec.description,
    secret: spec.secret,
  };
}

const int = (spec: Declared<number> & { min: number; max: number }) => declare('int', spec);
const number = (spec: Declared<number> & { min: number; max: number }) => declare('number', spec);
const text = (spec: Declared<string>) => declare('string', spec);
const flag = (spec: Declared<boolean>) => declare('boolean', spec);
const list = (spec: Declared<string[]>) => declare('list', spec);
const level = (spec: Declared<LogLevel>) => declare('level', spec);

export const SETTINGS = {
  port: int({
    flag: 'port',
    default: 3000,
    min: 0,
    max: 65535,
    aliases: ['PORT'],
    description: 'TCP port; 0 picks a free one',
  }),
  host: text({
    flag: 'host',
    default: '127.0.0.1',
    aliases: ['HOST'],
    description: 'interface to listen on',
  }),
  delayMs: int({
    flag: 'delay',
    default: 10_000,
    min: 0,
    max: 86_400_000,
    description: 'processing time of the default job (GET /status), ms, not scaled',
  }),
  errorRate: number({
    flag: 'error-rate',
    default: 0,
    min: 0,
    max: 1,
    description: 'fraction of jobs (the default job included) that end in error',
  }),
  seed: int({
    flag: 'seed',
    default: 1,
    min: 0,
    max: 4_294_967_295,
    description: 'seed of every random draw (job plans, ETA noise, faults)',
  }),
  timeScale: number({
    flag: 'time-scale',
    default: 1,
    min: 0,
    max: 100,
    description: 'multiplies modelled job durations (0.01 for demos)',
  }),
  maxWaitSeconds: int({
    flag: 'max-wait',
    default: 30,
    min: 1,
    max: 300,
    description: 'cap of Prefer: wait, seconds',
  }),
  // Longer than max-wait: a hold that wakes only on the ending is a parked socket and one listener, and
  // its slot is taken either way (a client asks again at once), so a longer one costs the server fewer
  // answers, not more holds. 300 s is about two holds for the median 8-minute job, and under the 350 s
  // idle cut of common NAT gateways; proxies must allow it (docs/deployment.md).
  maxResultWaitSeconds: int({
    flag: 'max-result-wait',
    default: 300,
    min: 1,
    max: 3600,
    description:
      'cap of Prefer: wait on holds that wake only on the ending (wake=result), seconds; >= --max-wait',
  }),
  etaError: number({
    flag: 'eta-error',
    default: 0.15,
    min: 0,
    max: 0.9,
    description: 'half-width of the per-job ETA bias (0.15 = ±15%)',
  }),
  pollMinMs: int({
    flag: 'poll-min-ms',
    default: 100,
    min: 0,
    max: 3_600_000,
    description: 'lower bound of Poll-After-Ms',
  }),
  pollMaxMs: int({
    flag: 'poll-max-ms',
    default: 30_000,
    min: 1,
    max: 3_600_000,
    description: 'upper bound of Poll-After-Ms',
  }),
  heartbeatMs: int({
    flag: 'heartbeat-ms',
    default: 15_000,
    min: 10,
    max: 3_600_000,
    description: 'SSE heartbeat interval, ms (announced as heartbeat-ms in Status-Capabilities)',
  }),
  maxHeldRequests: int({
    flag: 'max-held',
    default: 10_000,
    min: 0,
    max: 1_000_000,
    description: 'most long-polls and event streams held at once, in all (503 beyond)',
  }),
  bodyLimitBytes: int({
    flag: 'body-limit',
    default: 16_384,
    min: 64,
    max: 10_485_760,
    description: 'largest request body, bytes',
  }),
  logLevel: level({
    flag: 'log-level',
    default: 'info',
    aliases: ['LOG_LEVEL'],
    description: LOG_LEVELS.join('|'),
  }),
  longPoll: flag({
    flag: 'long-poll',
    default: true,
    description: 'honour Prefer: wait (--no-long-poll to disable)',
  }),
  events: flag({
    flag: 'events',
    default: true,
    description: 'serve Server-Sent Events (--no-events to disable)',
  }),
  batch: flag({ flag: 'batch', default: true, description: 'serve GET /jobs?ids= (--no-batch to disable)' }),
  multiEvents: flag({
    flag: 'multi-events',
    default: true,
    description:
      'serve GET /events?ids=, one stream for many jobs, when events are on (--no-multi-events to disable)',
  }),
  dashboard: flag({
    flag: 'dashboard',
    default: true,
    description: 'serve the live dashboard page at GET / and /dashboard (--no-dashboard to turn it off)',
  }),
  corsOrigins: list({
    flag: 'cors-origin',
    env: 'CORS_ORIGINS',
    default: [],
    description: "comma-separated CORS origins, '*' for any; empty = off",
  }),
  faultErrorRate: number({
    flag: 'fault-error-rate',
    default: 0,
    min: 0,
    max: 1,
    description: 'fraction of status requests answered 500 or 503 (half each)',
  }),
  faultThrottleRate: number({
    flag: 'fault-throttle-rate',
    default: 0,
    min: 0,
    max: 1,
    description: 'fraction of status requests answered 429',
  }),
  faultLatencyMs: int({
    flag: 'fault-latency-ms',
    default: 0,
    min: 0,
    max: 600_000,
    description: 'latency added to status requests, ms',
  }),
  faultDropRate: number({
    flag: 'fault-drop-rate',
    default: 0,
    min: 0,
    max: 1,
    description: 'fraction of status/event requests whose connection is dropped',
  }),
  faultHangRate: number({
    flag: 'fault-hang-rate',
    default: 0,
    min: 0,
    max: 1,
    description: 'fraction of status requests never answered (released at shutdown)',
  }),
  maxHeldPerClient: int({
    flag: 'max-held-per-client',
    default: 1000,
    min: 0,
    max: 1_000_000,
    description:
      'most long-polls and event streams held at once per client, by API key else address (429 beyond)',
  }),
  maxUrlLength: int({
    flag: 'max-url-length',
    default: 4096,
    min: 256,
    max: 65_536,
    description: 'longest request target (path and query), characters (414 beyond)',
  }),
  apiKeys: list({
    flag: 'api-keys',
    default: [],
    secret: true,
    description:
      'comma-separated API keys; empty = authentication off (/healthz and /openapi.json stay open)',
  }),
  rateLimit: int({
    flag: 'rate-limit',
    default: 0,
    min: 0,
    max: 1_000_000,
    description: 'requests per client (API key, else address) per window; 0 = off',
  }),
  rateLimitWindowMs: int({
    flag: 'rate-limit-window-ms',
    default: 60_000,
    min: 1000,
    max: 3_600_000,
    description: 'rate-limit window, ms',
  }),
  maxConcurrentJobs: int({
    flag: 'max-concurrent-jobs',
    default: 0,
    min: 0,
    max: 1_000_000,
    description:
      'HeyGen routes: pending jobs per client (API key, else address) before a create gets 429; 0 = off',
  }),
  storeUrl: text({
    flag: 'store',
    default: MEMORY_STORE,
    description:
      "where jobs live: 'memory' (this process) or redis://[user:pw@]host[:port][/db], shared by instances",
  }),
  retentionMs: int({
    flag: 'retention',
    default: 604_800_000,
    min: 60_000,
    max: 31_536_000_000,
    description: 'how long a Redis store keeps a finished job, ms (604800000 = 7 days)',
  }),
  webhookSecrets: list({
    flag: 'webhook-secret',
    default: [],
    secret: true,
    description:
      'comma-separated whsec_ secrets signing webhook deliveries (each signs every one, for rotation); none = webhooks off',
  }),
  webhookAllowHosts: list({
    flag: 'webhook-allow-hosts',
    default: ['localhost', '127.0.0.1', '::1'],
    description: 'hosts a callback_url may name: exact hosts, *.domain, or * for any',
  }),
  webhookTimeoutMs: int({
    flag: 'webhook-timeout-ms',
    default: 15_000,
    min: 10,
    max: 300_000,
    description: 'deadline of one webhook delivery attempt, ms',
  }),
} satisfies Record<string, SettingRow>;
