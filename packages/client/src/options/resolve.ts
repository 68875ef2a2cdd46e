/**
 * Every option of the client and of a single wait, validated eagerly and completed with the defaults,
 * so a mistake fails at construction with the option's path, the bad value and what is accepted,
 * never halfway through a wait.
 */
import { systemClock, type Clock } from '../common/clock.js';
import { createLogger, LOG_LEVELS } from '../common/logger.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import { DEFAULTS, MAX_BATCH_IDS } from './defaults.js';
import { resolveBudget, resolvePolling, resolveRetry } from './resolve-policies.js';
import {
  TRANSPORT_MODES,
  type ClientOptions,
  type ResolvedClientOptions,
  type ResolvedWaitOptions,
  type WaitOptions,
} from './types.js';
import {
  durationMs,
  fail,
  integerIn,
  isAbortSignal,
  isLogger,
  isPlainObject,
  isPlainObjectOrInstance,
  objectOrUndefined,
  oneOf,
  optionalFunction,
  pick,
} from './validate.js';

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
