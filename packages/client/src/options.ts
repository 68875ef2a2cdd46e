/**
 * Every option of the client and of a single wait: typed, documented, defaulted in one place
 * (`DEFAULTS`) and validated eagerly, so a mistake fails at construction with the option's path, the
 * bad value and what is accepted, never halfway through a wait.
 */
import { systemClock, MAX_TIMER_MS, type Clock } from './clock.js';
import { ConfigurationError, type TranslationStatusError } from './errors/index.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger.js';
import { DEFAULT_RETRY_BUDGET, RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
import type { PollSchedule } from './schedule.js';
import type { JobStatus } from './status.js';

/**
 * How to follow a job. `auto` uses what the server advertises: an event stream, else long-poll, else
 * polling, falling back when one breaks. The others force one (falling back only if it is missing).
 */
export type TransportMode = 'auto' | 'sse' | 'long-poll' | 'poll';

/** The transport a wait uses at a given moment. */
export type ActiveTransportName = Exclude<TransportMode, 'auto'>;

export const TRANSPORT_MODES: readonly TransportMode[] = ['auto', 'sse', 'long-poll', 'poll'];

/** The polling schedule, used when the server offers neither an event stream nor long-poll. */
export interface PollingOptions {
  /**
   * First delay when the server gives no hint. Short, so jobs of a few seconds are seen at once.
   * @default 1000
   */
  initialDelayMs: number;
  /** No poll comes sooner than this after the previous one, whatever a hint says. @default 250 */
  minDelayMs: number;
  /**
   * The longest blind delay (no ETA), and the cap on server hints. Jitter spreads delays at the cap
   * over [maxDelayMs × (1 − jitter), maxDelayMs]. 40 s with the 2× growth makes fewer requests than
   * Google's LRO defaults (100 ms ×1.3, cap 60 s) and detects the end sooner at the 95th percentile
   * (docs/benchmarks.md).
   * @default 40000
   */
  maxDelayMs: number;
  /** Growth of the blind delay per poll. @default 2 */
  multiplier: number;
  /** Share of each delay drawn at random (subtracted), so clients never poll in lockstep. 0 to 1. @default 0.2 */
  jitter: number;
  /**
   * Sleep until shortly before the job's `eta_ms` instead of backing off blindly: the single biggest
   * saving when the server estimates.
   * @default true
   */
  followEta: boolean;
  /**
   * Aim this share before the ETA (0.2: at 80% of it). The server's estimate is off by about ±15%,
   * so this usually lands just before the end, and the next ETA, shorter and finer, closes the gap.
   * @default 0.2
   */
  etaMargin: number;
  /**
   * The longest ETA-driven sleep. Longer saves a few requests on hour-long jobs but sees an early
   * failure later (an ETA cannot foresee one); 5 min bounds that.
   * @default 300000
   */
  maxEtaDelayMs: number;
  /** Replaces the built-in schedule. Its result is still clamped to [minDelayMs, maxDelayMs] and the deadline. */
  schedule?: PollSchedule | undefined;
}

export interface RetryOptions {
  /** Retries in a row after transient failures before giving up. 0 disables retries. @default 8 */
  maxRetries: number;
  /** Ceiling of the first retry's delay (full jitter: uniform in [0, ceiling]). @default 500 */
  baseDelayMs: number;
  /** Cap of the backoff ceiling: eight retries then ride out about a minute and a half of outage. @default 30000 */
  maxDelayMs: number;
  /** A server's `Retry-After` is honoured up to this; longer ones are capped to it. @default 120000 */
  maxRetryAfterMs: number;
  /**
   * The client-wide retry budget: its options, a shared `RetryBudget` (to share it between clients),
   * or `false` to disable. @default { capacity: 500, retryCost: 5, timeoutCost: 10, successRefill: 1 }
   */
  budget: Partial<RetryBudgetOptions> | RetryBudget | false;
}

export interface BatchOptions {
  /** Wait for many jobs through `GET /jobs?ids=` when the server has it. @default true */
  enabled?: boolean;
  /** Ids per batch request, 1 to 100 (the protocol's limit). @default 100 */
  maxIds?: number;
  /**
   * Fewer jobs than this are waited on one by one when the server streams events: one stream per job
   * costs a single request each and reports every stage, while a held batch is answered at every stage
   * change of any of its jobs. From this many on, the batch endpoint keeps the connection count low
   * (browsers allow about six per origin over HTTP/1.1). @default 7
   */
  streamBelow?: number;
}

export interface ClientOptions {
  /** The server's base URL (http or https); job paths are resolved under it. Required. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`, and hidden from every log line. */
  apiKey?: string | undefined;
  /** Extra headers for every request. */
  headers?: Record<string, string> | undefined;
  /** The fetch to use (tests, proxies, instrumentation). @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** @default 'auto' */
  transport?: TransportMode | undefined;
  /**
   * Limit for one request; a long-poll gets its held time on top. Generous, since a status read is
   * small and a slow answer beats a retried one. @default 30000
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Default limit for a whole wait (Infinity for none). Finite so a forgotten wait ends; four hours
   * covers the longest videos the service accepts. @default 14400000
   */
  timeoutMs?: number | undefined;
  /** Seconds to ask for in `Prefer: wait`; the server's `max-wait` caps it. @default 30 */
  longPollWaitS?: number | undefined;
  polling?: Partial<PollingOptions> | undefined;
  retry?: Partial<RetryOptions> | undefined;
  /** A pino-style logger (`(fields, message)`); console works. @default warnings and errors to the console */
  logger?: Logger | undefined;
  /** @default 'warn' */
  logLevel?: LogLevel | undefined;
  /** @default the system clock */
  clock?: Clock | undefined;
  /** Source of jitter, in [0, 1). @default Math.random */
  random?: (() => number) | undefined;
  batch?: BatchOptions | undefined;
}

/** Passed to `onStatus`: when the status was seen and through which transport. */
export interface StatusInfo {
  readonly jobId: string | undefined;
  /** Milliseconds since the wait started. */
  readonly elapsedMs: number;
  readonly transport: ActiveTransportName;
}

/** Passed to `onPoll`, once per request the wait makes. */
export interface PollInfo extends StatusInfo {
  /** Requests made so far by this wait, this one included. */
  readonly requests: number;
}

/** Passed to `onRetry`, before the backoff sleep. */
export interface RetryInfo {
  readonly jobId: string | undefined;
  /** Failures in a row so far: 1 before the first retry. */
  readonly attempt: number;
  /** The backoff about to be slept. */
  readonly delayMs: number;
  readonly error: TranslationStatusError;
  readonly elapsedMs: number;
}

export interface WaitOptions {
  /** Limit for this wait; Infinity for none. @default the client's timeoutMs */
  timeoutMs?: number | undefined;
  /** Aborting it ends the wait at once, rejecting with the signal's reason. */
  signal?: AbortSignal | undefined;
  transport?: TransportMode | undefined;
  requestTimeoutMs?: number | undefined;
  polling?: Partial<PollingOptions> | undefined;
  /** The budget is the client's, shared by all waits. */
  retry?: Partial<Omit<RetryOptions, 'budget'>> | undefined;
  /** Every change of result, stage or progress (and the current status at the start). */
  onStatus?: ((status: JobStatus, info: StatusInfo) => void) | undefined;
  onPoll?: ((info: PollInfo) => void) | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

export interface ResolvedPollingOptions extends Readonly<Omit<PollingOptions, 'schedule'>> {
  readonly schedule: PollSchedule | undefined;
}

export interface ResolvedRetryOptions extends Readonly<Omit<RetryOptions, 'budget'>> {
  /** Undefined when disabled. */
  readonly budget: RetryBudget | undefined;
}

export interface ResolvedClientOptions {
  /** Always ends with `/`, so `new URL('jobs', baseUrl)` stays under it. */
  readonly baseUrl: string;
  /** Headers for every request: the caller's, plus `authorization` from `apiKey`. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly fetch: typeof fetch;
  readonly transport: TransportMode;
  readonly requestTimeoutMs: number;
  readonly timeoutMs: number;
  readonly longPollWaitS: number;
  readonly polling: ResolvedPollingOptions;
  readonly retry: ResolvedRetryOptions;
  /** Leveled, redacting and safe to call. */
  readonly logger: Logger;
  readonly logLevel: LogLevel;
  readonly clock: Clock;
  readonly random: () => number;
  readonly batch: { readonly enabled: boolean; readonly maxIds: number; readonly streamBelow: number };
}

export interface ResolvedWaitOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly transport: TransportMode;
  readonly requestTimeoutMs: number;
  readonly polling: ResolvedPollingOptions;
  readonly retry: ResolvedRetryOptions;
  readonly onStatus: WaitOptions['onStatus'];
  readonly onPoll: WaitOptions['onPoll'];
  readonly onRetry: WaitOptions['onRetry'];
  /** True when transport, timing and retry come from the client, so identical waits may share requests. */
  readonly usesClientDefaults: boolean;
}

/** Every default, in one place. */
export const DEFAULTS = Object.freeze({
  transport: 'auto',
  requestTimeoutMs: 30_000,
  timeoutMs: 4 * 3_600_000,
  longPollWaitS: 30,
  logLevel: 'warn',
  polling: Object.freeze({
    initialDelayMs: 1_000,
    minDelayMs: 250,
    maxDelayMs: 40_000,
    multiplier: 2,
    jitter: 0.2,
    followEta: true,
    etaMargin: 0.2,
    maxEtaDelayMs: 300_000,
  }),
  retry: Object.freeze({
    maxRetries: 8,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 120_000,
  }),
  retryBudget: DEFAULT_RETRY_BUDGET,
  batch: Object.freeze({ enabled: true, maxIds: 100, streamBelow: 7 }),
});

/** The protocol's limit on ids per batch request. */
export const MAX_BATCH_IDS = 100;

// ---- validation helpers: each names the option, shows the value and says what is accepted ----

function fail(option: string, value: unknown, expected: string): never {
  throw new ConfigurationError({ option, value, expected });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number in [min, max]; `Infinity` only when `max` is Infinity. */
function numberIn(option: string, value: unknown, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min} (or Infinity)` : `in [${min}, ${max}]`;
    fail(option, value, `${unit} ${range}`);
  }
  return value;
}

/** Milliseconds for a timer: positive, at most what setTimeout can hold, or Infinity when allowed. */
function durationMs(option: string, value: unknown, allowInfinity: boolean): number {
  if (allowInfinity && value === Infinity) return Infinity;
  const n = numberIn(option, value, 1, MAX_TIMER_MS, 'a number of milliseconds');
  return n;
}

function integerIn(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(option, value, `a whole number in [${min}, ${max}]`);
  }
  return value;
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(option, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

function objectOrUndefined(option: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) fail(option, value, 'an object');
  return value;
}

/** `override` when given, else `base`; undefined counts as "not given". */
function pick(override: Record<string, unknown>, key: string, base: unknown): unknown {
  return override[key] === undefined ? base : override[key];
}

function resolvePolling(
  prefix: string,
  base: ResolvedPollingOptions,
  given: unknown,
): ResolvedPollingOptions {
  const o = objectOrUndefined(prefix, given);
  const path = (key: string): string => `${prefix}.${key}`;
  const minDelayMs = numberIn(
    path('minDelayMs'),
    pick(o, 'minDelayMs', base.minDelayMs),
    0,
    MAX_TIMER_MS,
    'a number of milliseconds',
  );
  const maxDelayMs = numberIn(
    path('maxDelayMs'),
    pick(o, 'maxDelayMs', base.maxDelayMs),
    Math.max(1, minDelayMs),
    MAX_TIMER_MS,
    'a number of milliseconds >= minDelayMs, i.e.',
  );
  const initialDelayMs = numberIn(
    path('initialDelayMs'),
    pick(o, 'initialDelayMs', base.initialDelayMs),
    minDelayMs,
    maxDelayMs,
    'a number of milliseconds between minDelayMs and maxDelayMs, i.e.',
  );
  const multiplier = numberIn(path('multiplier'), pick(o, 'multiplier', base.multiplier), 1, 100, 'a number');
  const jitter = numberIn(path('jitter'), pick(o, 'jitter', base.jitter), 0, 1, 'a share');
  const followEta = pick(o, 'followEta', base.followEta);
  if (typeof followEta !== 'boolean') fail(path('followEta'), followEta, 'true or false');
  const etaMargin = numberIn(path('etaMargin'), pick(o, 'etaMargin', base.etaMargin), 0, 0.9, 'a share');
  const maxEtaDelayMs = numberIn(
    path('maxEtaDelayMs'),
    pick(o, 'maxEtaDelayMs', base.maxEtaDelayMs),
    minDelayMs,
    MAX_TIMER_MS,
    'a number of milliseconds >= minDelayMs, i.e.',
  );
  const schedule = pick(o, 'schedule', base.schedule);
  if (schedule !== undefined && typeof schedule !== 'function') {
    fail(path('schedule'), schedule, 'a function (context) => delay in milliseconds');
  }
  return {
    initialDelayMs,
    minDelayMs,
    maxDelayMs,
    multiplier,
    jitter,
    followEta,
    etaMargin,
    maxEtaDelayMs,
    schedule: schedule as PollSchedule | undefined,
  };
}

function resolveRetry(
  prefix: string,
  base: ResolvedRetryOptions,
  given: unknown,
  allowBudget: boolean,
): ResolvedRetryOptions {
  const o = objectOrUndefined(prefix, given);
  const path = (key: string): string => `${prefix}.${key}`;
  const maxRetries = integerIn(path('maxRetries'), pick(o, 'maxRetries', base.maxRetries), 0, 1000);
  const baseDelayMs = numberIn(
    path('baseDelayMs'),
    pick(o, 'baseDelayMs', base.baseDelayMs),
    0,
    MAX_TIMER_MS,
    'a number of milliseconds',
  );
  const maxDelayMs = numberIn(
    path('maxDelayMs'),
    pick(o, 'maxDelayMs', base.maxDelayMs),
    baseDelayMs,
    MAX_TIMER_MS,
    'a number of milliseconds >= baseDelayMs, i.e.',
  );
  const maxRetryAfterMs = numberIn(
    path('maxRetryAfterMs'),
    pick(o, 'maxRetryAfterMs', base.maxRetryAfterMs),
    0,
    MAX_TIMER_MS,
    'a number of milliseconds',
  );
  let budget = base.budget;
  if (o['budget'] !== undefined) {
    if (!allowBudget)
      fail(path('budget'), o['budget'], 'no budget here: the retry budget is set once, on the client');
    budget = resolveBudget(path('budget'), o['budget']);
  }
  return { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, budget };
}

function resolveBudget(option: string, value: unknown): RetryBudget | undefined {
  if (value === false) return undefined;
  if (value instanceof RetryBudget) return value;
  if (!isPlainObject(value)) fail(option, value, 'a RetryBudget, its options, or false');
  const capacity = numberIn(
    `${option}.capacity`,
    pick(value, 'capacity', DEFAULT_RETRY_BUDGET.capacity),
    0,
    Number.MAX_SAFE_INTEGER,
    'a number of tokens',
  );
  const retryCost = numberIn(
    `${option}.retryCost`,
    pick(value, 'retryCost', DEFAULT_RETRY_BUDGET.retryCost),
    0,
    capacity,
    'a number of tokens up to capacity, i.e.',
  );
  const timeoutCost = numberIn(
    `${option}.timeoutCost`,
    pick(value, 'timeoutCost', DEFAULT_RETRY_BUDGET.timeoutCost),
    0,
    capacity,
    'a number of tokens up to capacity, i.e.',
  );
  const successRefill = numberIn(
    `${option}.successRefill`,
    pick(value, 'successRefill', DEFAULT_RETRY_BUDGET.successRefill),
    0,
    capacity,
    'a number of tokens up to capacity, i.e.',
  );
  return new RetryBudget({ capacity, retryCost, timeoutCost, successRefill });
}

function resolveBaseUrl(value: unknown): string {
  const expected = 'an absolute http:// or https:// URL, e.g. "https://translate.example.com/"';
  if (typeof value !== 'string') fail('baseUrl', value, expected);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail('baseUrl', value, expected);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('baseUrl', value, expected);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

function resolveHeaders(value: unknown, apiKey: string | undefined): Record<string, string> {
  const given = objectOrUndefined('headers', value);
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(given)) {
    if (typeof header !== 'string') fail(`headers.${name}`, header, 'a string');
    headers[name.toLowerCase()] = header;
  }
  if (apiKey !== undefined) headers['authorization'] = `Bearer ${apiKey}`;
  return headers;
}

function optionalFunction<T>(option: string, value: unknown, fallback: T | undefined): T | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') fail(option, value, 'a function');
  return value as T;
}

const CLIENT_POLLING: ResolvedPollingOptions = { ...DEFAULTS.polling, schedule: undefined };
const CLIENT_RETRY: Omit<ResolvedRetryOptions, 'budget'> = DEFAULTS.retry;

/** Validates the client's options and fills in every default. Throws ConfigurationError. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (!isPlainObject(options)) fail('options', options, 'an object with at least baseUrl');
  const o = options as unknown as Record<string, unknown>;
  const baseUrl = resolveBaseUrl(o['baseUrl']);
  const apiKey = o['apiKey'];
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey === ''))
    fail('apiKey', apiKey, 'a non-empty string');
  const fetchFn = optionalFunction<typeof fetch>('fetch', o['fetch'], globalThis.fetch);
  if (fetchFn === undefined) fail('fetch', undefined, 'a fetch function (this runtime has no global fetch)');
  const logLevel = oneOf('logLevel', pick(o, 'logLevel', DEFAULTS.logLevel), LOG_LEVELS);
  const logger = o['logger'];
  if (logger !== undefined && !isLogger(logger))
    fail('logger', logger, 'an object with debug, info, warn and error methods');
  const clock = o['clock'] ?? systemClock;
  if (
    !isPlainObjectOrInstance(clock) ||
    typeof clock['now'] !== 'function' ||
    typeof clock['sleep'] !== 'function'
  ) {
    fail('clock', clock, 'an object with now() and sleep(ms, signal)');
  }
  const batch = objectOrUndefined('batch', o['batch']);
  const enabled = pick(batch, 'enabled', DEFAULTS.batch.enabled);
  if (typeof enabled !== 'boolean') fail('batch.enabled', enabled, 'true or false');
  const budgetOption = pick(objectOrUndefined('retry', o['retry']), 'budget', {});
  return {
    baseUrl,
    requestHeaders: resolveHeaders(o['headers'], apiKey),
    // Always called through a wrapper: a detached `window.fetch` throws "Illegal invocation" in browsers.
    fetch: (input, init) => fetchFn(input, init),
    transport: oneOf('transport', pick(o, 'transport', DEFAULTS.transport), TRANSPORT_MODES),
    requestTimeoutMs: durationMs(
      'requestTimeoutMs',
      pick(o, 'requestTimeoutMs', DEFAULTS.requestTimeoutMs),
      false,
    ),
    timeoutMs: durationMs('timeoutMs', pick(o, 'timeoutMs', DEFAULTS.timeoutMs), true),
    longPollWaitS: integerIn('longPollWaitS', pick(o, 'longPollWaitS', DEFAULTS.longPollWaitS), 1, 3600),
    polling: resolvePolling('polling', CLIENT_POLLING, o['polling']),
    retry: resolveRetry(
      'retry',
      { ...CLIENT_RETRY, budget: resolveBudget('retry.budget', budgetOption) },
      { ...objectOrUndefined('retry', o['retry']), budget: undefined },
      true,
    ),
    logger: createLogger(logger, logLevel, apiKey === undefined ? [] : [apiKey]),
    logLevel,
    clock: clock as unknown as Clock,
    random: optionalFunction<() => number>('random', o['random'], Math.random) ?? Math.random,
    batch: {
      enabled,
      maxIds: integerIn('batch.maxIds', pick(batch, 'maxIds', DEFAULTS.batch.maxIds), 1, MAX_BATCH_IDS),
      streamBelow: integerIn(
        'batch.streamBelow',
        pick(batch, 'streamBelow', DEFAULTS.batch.streamBelow),
        0,
        1_000_000,
      ),
    },
  };
}

/** Validates one wait's options on top of the client's. Throws ConfigurationError. */
export function resolveWaitOptions(
  client: ResolvedClientOptions,
  wait: WaitOptions | undefined,
): ResolvedWaitOptions {
  const o = objectOrUndefined('options', wait);
  const signal = o['signal'];
  if (signal !== undefined && !isAbortSignal(signal)) fail('signal', signal, 'an AbortSignal');
  const tuned = ['transport', 'requestTimeoutMs', 'polling', 'retry'].some((key) => o[key] !== undefined);
  return {
    timeoutMs: durationMs('timeoutMs', pick(o, 'timeoutMs', client.timeoutMs), true),
    signal,
    transport: oneOf('transport', pick(o, 'transport', client.transport), TRANSPORT_MODES),
    requestTimeoutMs: durationMs(
      'requestTimeoutMs',
      pick(o, 'requestTimeoutMs', client.requestTimeoutMs),
      false,
    ),
    polling:
      o['polling'] === undefined ? client.polling : resolvePolling('polling', client.polling, o['polling']),
    retry: o['retry'] === undefined ? client.retry : resolveRetry('retry', client.retry, o['retry'], false),
    onStatus: optionalFunction<NonNullable<WaitOptions['onStatus']>>('onStatus', o['onStatus'], undefined),
    onPoll: optionalFunction<NonNullable<WaitOptions['onPoll']>>('onPoll', o['onPoll'], undefined),
    onRetry: optionalFunction<NonNullable<WaitOptions['onRetry']>>('onRetry', o['onRetry'], undefined),
    usesClientDefaults: !tuned,
  };
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((level) => typeof v[level] === 'function');
}

function isPlainObjectOrInstance(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    'aborted' in value &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function'
  );
}
