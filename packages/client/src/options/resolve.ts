/**
 * Every option of the client and of a single wait, validated eagerly and completed with the defaults,
 * so a mistake fails at construction (or at the call) with every bad option's path, value and what is
 * accepted, never halfway through a wait. Secrets (the API key, headers, credentials) are never shown.
 */
import { systemClock, type Clock } from '../common/clock.js';
import { createLogger, LOG_LEVELS, type Logger } from '../common/logger.js';
import { translationStatusProtocol } from '../protocol/adapter.js';
import { chooseProtocol, PROTOCOL_EXPECTED } from '../protocol/choose.js';
import { DEFAULTS, MAX_BATCH_IDS } from './defaults.js';
import { checked, type Issues } from './issues.js';
import { BATCH_KEYS, CLIENT_KEYS, WAIT_KEYS } from './known-keys.js';
import { resolvePolling, resolveRetry } from './resolve-policies.js';
import { OptionSection } from './section.js';
import {
  TRANSPORT_MODES,
  type ClientOptions,
  type ResolvedClientOptions,
  type ResolvedWaitOptions,
} from './types.js';
import { isAbortSignal, isLogger, isPlainObject } from './validate.js';

const URL_EXPECTED = 'an absolute http(s):// URL, as a string or a URL';

function resolveBaseUrl(issues: Issues, value: unknown): string {
  const fallback = 'http://invalid/';
  // A string that does not parse may still hold a password ("user:pa ss@host"): then it is not shown.
  const mayHoldCredentials = typeof value === 'string' && value.includes('@');
  const bad = (): string =>
    issues.reject({ option: 'baseUrl', value, expected: URL_EXPECTED, secret: mayHoldCredentials }, fallback);
  if (typeof value !== 'string' && !(value instanceof URL)) return bad();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return bad();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad();
  if (url.username !== '' || url.password !== '') {
    return issues.reject(
      {
        option: 'baseUrl',
        value: undefined,
        secret: true,
        expected: 'a URL without user:password@ (pass a key as apiKey, other credentials in headers)',
      },
      fallback,
    );
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** What no header value may hold. */
const ONE_LINE_BREAK = /[\r\n\0]/;

function resolveHeaders(
  issues: Issues,
  value: unknown,
  apiKey: string | undefined,
  apiKeyHeader: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (value !== undefined && !isPlainObject(value)) {
    issues.add({ option: 'headers', value, expected: 'an object of strings' });
  } else {
    for (const [name, header] of Object.entries(value ?? {})) {
      // Header values are often credentials: name the header, never show its value.
      if (typeof header === 'string' && !ONE_LINE_BREAK.test(header)) headers[name.toLowerCase()] = header;
      else
        issues.add({
          option: `headers.${name}`,
          value: undefined,
          secret: true,
          expected: 'a one-line string',
        });
    }
  }
  if (apiKey !== undefined)
    headers[apiKeyHeader] = apiKeyHeader === 'authorization' ? `Bearer ${apiKey}` : apiKey;
  return headers;
}

function resolveApiKey(issues: Issues, value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value !== '' && !ONE_LINE_BREAK.test(value))) {
    return value;
  }
  issues.add({ option: 'apiKey', value: undefined, secret: true, expected: 'a non-empty one-line string' });
  return undefined;
}

function isClock(value: unknown): value is Clock {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['now'] === 'function' && typeof v['sleep'] === 'function';
}

const CLIENT_BASE = {
  ...DEFAULTS,
  polling: { ...DEFAULTS.polling, schedule: undefined },
  retry: { ...DEFAULTS.retry, budget: undefined },
  random: Math.random,
  fetch: undefined,
};

/** Validates the client's options and fills in every default. Throws one ConfigurationError for all issues. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  return checked((issues) => {
    if (!isPlainObject(options)) {
      issues.add({ option: 'options', value: options, expected: 'an object with at least baseUrl' });
    }
    const given = issues.object('', isPlainObject(options) ? options : {}, CLIENT_KEYS);
    const s = new OptionSection(issues, '', given, CLIENT_BASE);
    const baseUrl = resolveBaseUrl(issues, given['baseUrl']);
    const apiKey = resolveApiKey(issues, given['apiKey']);
    const protocol =
      chooseProtocol(given['protocol']) ??
      s.reject('protocol', given['protocol'], PROTOCOL_EXPECTED, translationStatusProtocol);
    const fetchFn: typeof fetch | undefined = s.callback('fetch') ?? globalThis.fetch;
    // A runtime without fetch, and no fetch given.
    if (typeof fetchFn !== 'function') {
      issues.add({
        option: 'fetch',
        value: undefined,
        expected: 'a fetch function (this runtime has no global fetch)',
      });
    }
    const logLevel = s.choice('logLevel', LOG_LEVELS);
    let logger = given['logger'];
    if (logger !== undefined && !isLogger(logger)) {
      s.reject('logger', logger, 'an object with debug, info, warn and error methods', null);
      logger = undefined;
    }
    let clock = given['clock'] ?? systemClock;
    if (!isClock(clock))
      clock = s.reject('clock', clock, 'an object with now() and sleep(ms, signal)', systemClock);
    const batch = new OptionSection(
      issues,
      'batch',
      issues.object('batch', given['batch'], BATCH_KEYS),
      DEFAULTS.batch,
    );
    const resolved: ResolvedClientOptions = {
      baseUrl,
      protocol,
      requestHeaders: resolveHeaders(issues, given['headers'], apiKey, protocol.apiKeyHeader.toLowerCase()),
      // Always called through a wrapper: a detached `window.fetch` throws "Illegal invocation" in browsers.
      fetch: (input, init) => fetchFn(input, init),
      transport: s.choice('transport', TRANSPORT_MODES),
      requestTimeoutMs: s.duration('requestTimeoutMs', false),
      timeoutMs: s.duration('timeoutMs', true),
      longPollWaitS: s.integer('longPollWaitS', 1, 3600),
      polling: resolvePolling(issues, 'polling', CLIENT_BASE.polling, given['polling']),
      retry: resolveRetry(issues, 'retry', CLIENT_BASE.retry, given['retry'], true),
      logger: createLogger(logger as Logger | undefined, logLevel, apiKey === undefined ? [] : [apiKey]),
      logLevel,
      clock: clock as Clock,
      random: s.callback('random') ?? Math.random,
      batch: {
        enabled: batch.boolean('enabled'),
        maxIds: batch.integer('maxIds', 1, MAX_BATCH_IDS),
        streamBelow: batch.integer('streamBelow', 0, 1_000_000),
      },
    };
    return resolved;
  });
}

/** Reads one call's wait options into `issues` (see resolveWaitOptions); `known` are the call's keys. */
export function readWaitOptions(
  issues: Issues,
  client: ResolvedClientOptions,
  wait: unknown,
  known: readonly string[],
): { resolved: ResolvedWaitOptions; given: Record<string, unknown> } {
  if (wait !== undefined && !isPlainObject(wait))
    issues.add({ option: 'options', value: wait, expected: 'an object' });
  const given = issues.object('', isPlainObject(wait) ? wait : undefined, known);
  const s = new OptionSection(issues, '', given, {
    ...client,
    signal: undefined,
    onStatus: undefined,
    onPoll: undefined,
    onRetry: undefined,
  });
  let signal = given['signal'];
  if (signal !== undefined && !isAbortSignal(signal)) {
    s.reject('signal', signal, 'an AbortSignal', null);
    signal = undefined;
  }
  const tuned = ['transport', 'requestTimeoutMs', 'polling', 'retry'].some((key) => given[key] !== undefined);
  const resolved: ResolvedWaitOptions = {
    timeoutMs: s.duration('timeoutMs', true),
    signal: signal as AbortSignal | undefined,
    transport: s.choice('transport', TRANSPORT_MODES),
    requestTimeoutMs: s.duration('requestTimeoutMs', false),
    polling:
      given['polling'] === undefined
        ? client.polling
        : resolvePolling(issues, 'polling', client.polling, given['polling']),
    retry:
      given['retry'] === undefined
        ? client.retry
        : resolveRetry(issues, 'retry', client.retry, given['retry'], false),
    onStatus: s.callback('onStatus'),
    onPoll: s.callback('onPoll'),
    onRetry: s.callback('onRetry'),
    usesClientDefaults: !tuned,
  };
  return { resolved, given };
}

/**
 * Validates one call's options on top of the client's; `known` lists the keys that call accepts
 * (a wait's by default). Throws one ConfigurationError for all issues.
 */
export function resolveWaitOptions(
  client: ResolvedClientOptions,
  wait: unknown,
  known: readonly string[] = WAIT_KEYS,
): ResolvedWaitOptions {
  return checked((issues) => readWaitOptions(issues, client, wait, known).resolved);
}
