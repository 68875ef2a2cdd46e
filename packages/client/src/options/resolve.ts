/**
 * Every option of the client and of a single wait, validated eagerly and completed with the defaults,
 * so a mistake fails at construction (or at the call) with every bad option's path, value and what is
 * accepted, never halfway through a wait. Secrets (the API key, headers, credentials) are never shown.
 */
import { systemClock } from '../common/clock.js';
import { createLogger, LOG_LEVELS, LOG_METHODS } from '../common/logger.js';
import { translationStatusProtocol } from '../protocol/adapter.js';
import { chooseProtocol } from '../protocol/choose.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import { DEFAULTS, MAX_BATCH_IDS } from './defaults.js';
import { checked, knownObject, type Issues } from './issues.js';
import { POLLING_RULES, resolveBudget, RETRY_RULES } from './resolve-policies.js';
import {
  callback,
  elsewhere,
  flag,
  ms,
  oneOf,
  readRules,
  shape,
  whole,
  type Rule,
  type Rules,
} from './rules.js';
import {
  TRANSPORT_MODES,
  type BatchOptions,
  type ClientOptions,
  type ResolvedClientOptions,
  type ResolvedWaitOptions,
  type WaitOptions,
} from './types.js';
import { isPlainObject, withMethods } from './validate.js';
import type { WebhookWaiter } from '../webhooks/waiter.js';

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function resolveBaseUrl(issues: Issues, value: unknown): string {
  const text = value instanceof URL ? value.href : value;
  const url = typeof text === 'string' ? parseUrl(text) : undefined;
  const wrong = url === undefined || !/^https?:$/.test(url.protocol);
  if (wrong || url.username !== '' || url.password !== '') {
    issues.push({
      option: 'baseUrl',
      value,
      // Credentials are never shown, nor a string that does not parse but may hold them ("user:pa ss@host").
      secret: typeof text === 'string' && text.includes('@'),
      expected: wrong
        ? 'an absolute http(s):// URL, as a string or a URL'
        : 'a URL without user:password@ (pass a key as apiKey, other credentials in headers)',
    });
    return 'http://invalid/';
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
    issues.push({ option: 'headers', value, expected: 'an object of strings' });
  } else {
    for (const [name, header] of Object.entries(value ?? {})) {
      // Header values are often credentials: name the header, never show its value.
      if (typeof header === 'string' && !ONE_LINE_BREAK.test(header)) headers[name.toLowerCase()] = header;
      else
        issues.push({
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
  issues.push({ option: 'apiKey', value: undefined, secret: true, expected: 'a non-empty one-line string' });
  return undefined;
}

const BATCH_RULES = {
  enabled: flag(),
  maxIds: whole(1, MAX_BATCH_IDS),
  streamBelow: whole(0, 1_000_000),
} satisfies Record<keyof BatchOptions, Rule>;

/** The options read from the table; the others (`elsewhere`) are read by the functions above. */
const CLIENT_RULES = {
  baseUrl: elsewhere,
  protocol: elsewhere,
  apiKey: elsewhere,
  headers: elsewhere,
  fetch: callback(),
  transport: oneOf(TRANSPORT_MODES),
  requestTimeoutMs: ms(),
  timeoutMs: ms(1, true),
  longPollWaitS: whole(1, 3600),
  polling: POLLING_RULES,
  retry: RETRY_RULES,
  logger: shape(withMethods(...LOG_METHODS), 'an object with debug, info, warn and error methods'),
  logLevel: oneOf(LOG_LEVELS),
  clock: shape(withMethods('now', 'sleep'), 'an object with now() and sleep(ms, signal)', false),
  random: callback(),
  batch: BATCH_RULES,
  // Only that it is a receiver with a URL: the receiver checked its own options when it was made.
  webhooks: shape(
    (v) => withMethods('endWait')(v) && typeof (v as WebhookWaiter).url === 'string',
    'a receiver made with createWebhookReceiver({ secret, url })',
  ),
} satisfies Record<keyof ClientOptions, Rule | Rules>;

/** The defaults, and those of the options without a key there (no `schedule`, no budget yet). */
const CLIENT_BASE = {
  ...DEFAULTS,
  clock: systemClock,
  random: Math.random,
};

/**
 * What the table reads: every option present but those without a default, and those read elsewhere;
 * the retry budget as given, for resolveBudget.
 */
type ReadClientOptions = Omit<
  ResolvedClientOptions,
  'baseUrl' | 'protocol' | 'requestHeaders' | 'fetch' | 'logger' | 'retry'
> &
  Pick<ClientOptions, 'fetch' | 'logger'> & {
    retry: Omit<ResolvedRetryOptions, 'budget'> & { budget: unknown };
  };

/** Validates the client's options and fills in every default. Throws one ConfigurationError for all issues. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  return checked((issues) => {
    // No options at all is an object without baseUrl, and said so.
    const given = knownObject(issues, '', options, Object.keys(CLIENT_RULES));
    const baseUrl = resolveBaseUrl(issues, given['baseUrl']);
    const apiKey = resolveApiKey(issues, given['apiKey']);
    const chosen = chooseProtocol(given['protocol']);
    if (typeof chosen === 'string')
      issues.push({ option: 'protocol', value: given['protocol'], expected: chosen });
    const protocol = typeof chosen === 'string' ? translationStatusProtocol : chosen;
    const requestHeaders = resolveHeaders(
      issues,
      given['headers'],
      apiKey,
      protocol.apiKeyHeader.toLowerCase(),
    );
    const o = readRules(issues, '', given, CLIENT_BASE, CLIENT_RULES) as ReadClientOptions;
    const fetchFn = o.fetch ?? globalThis.fetch;
    // A runtime without fetch, and no fetch given.
    if (typeof fetchFn !== 'function') {
      issues.push({
        option: 'fetch',
        value: undefined,
        expected: 'a fetch function (this runtime has no global fetch)',
      });
    }
    return {
      ...o,
      baseUrl,
      protocol,
      requestHeaders,
      // Always called through a wrapper: a detached `window.fetch` throws "Illegal invocation" in browsers.
      fetch: (input, init) => fetchFn(input, init),
      // The client's budget (a new one unless given) is shared by all its waits.
      retry: { ...o.retry, budget: resolveBudget(issues, 'retry.budget', o.retry.budget ?? {}) },
      logger: createLogger(o.logger, o.logLevel, [apiKey ?? '']), // createLogger drops an empty secret
    };
  });
}

/** Ordered so that the smaller calls' keys are its prefixes (see known-keys.ts). */
export const WAIT_RULES = {
  signal: shape((v) => withMethods('addEventListener')(v) && 'aborted' in (v as object), 'an AbortSignal'),
  requestTimeoutMs: ms(),
  onRetry: callback(),
  retry: RETRY_RULES,
  timeoutMs: ms(1, true),
  transport: oneOf(TRANSPORT_MODES),
  polling: POLLING_RULES,
  onPoll: callback(),
  onStatus: callback(),
} satisfies Record<keyof WaitOptions, Rule | Rules>;

/** The wait options that make a wait behave unlike the client's others (see `usesClientDefaults`). */
const TUNING = ['transport', 'requestTimeoutMs', 'polling', 'retry'];

/**
 * Reads one call's wait options into `issues` (see resolveWaitOptions); `known` are the call's keys,
 * `rules` the wait's or a superset (waitForAll's has its `onSettled`, read as well).
 */
export function readWaitOptions(
  issues: Issues,
  client: ResolvedClientOptions,
  wait: unknown,
  known: readonly string[],
  rules: Rules = WAIT_RULES,
): ResolvedWaitOptions {
  const given = knownObject(issues, '', wait, known);
  const o = readRules(issues, '', given, client, rules) as Omit<ResolvedWaitOptions, 'usesClientDefaults'>;
  // The budget read is the client's unless one was given, and none may be.
  if (o.retry.budget !== client.retry.budget) {
    issues.push({
      option: 'retry.budget',
      value: o.retry.budget,
      expected: 'no budget here: the retry budget is set once, on the client',
    });
  }
  const tuned = TUNING.some((key) => given[key] !== undefined);
  return { ...o, usesClientDefaults: !tuned };
}

/**
 * Validates one call's options on top of the client's; `known` lists the keys that call accepts
 * (a wait's by default). Throws one ConfigurationError for all issues.
 */
export function resolveWaitOptions(
  client: ResolvedClientOptions,
  wait: unknown,
  known: readonly string[] = Object.keys(WAIT_RULES),
): ResolvedWaitOptions {
  return checked((issues) => readWaitOptions(issues, client, wait, known));
}
