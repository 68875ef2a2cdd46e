/**
 * The types of every option of the client and of a single wait, each documented with its default
 * (the values live in `defaults.ts`). Policy options live beside their policy: `PollingOptions` with
 * the schedule, `RetryOptions` with the retry decision.
 */
import type { Clock } from '../common/clock.js';
import type { Logger, LogLevel } from '../common/logger.js';
import type { TranslationStatusError } from '../errors/index.js';
import type { ResolvedRetryOptions, RetryOptions } from '../policy/retry.js';
import type { PollingOptions, ResolvedPollingOptions } from '../policy/schedule.js';
import type { ProtocolAdapter, ProtocolChoice } from '../protocol/adapter.js';
import type { JobStatus } from '../protocol/status.js';
import type { WebhookWaiter } from '../webhooks/waiter.js';

/**
 * How to follow a job. `auto` uses what the server advertises: an event stream, else long-poll, else
 * polling, falling back when one breaks. The others force one (falling back only if it is missing).
 */
export type TransportMode = 'auto' | 'sse' | 'long-poll' | 'poll';

/**
 * The transport a wait uses at a given moment: `webhook` for a job created with the client's webhook
 * receiver (its ending arrives as a webhook; `auto` only).
 */
export type ActiveTransportName = Exclude<TransportMode, 'auto'> | 'webhook';

/** The same as `ActiveTransportName` (the name the wait statistics use). */
export type ActiveTransport = ActiveTransportName;

export const TRANSPORT_MODES: readonly TransportMode[] = ['auto', 'sse', 'long-poll', 'poll'];

export interface BatchOptions {
  /**
   * Let separate waits share held `GET /jobs?ids=` reads when the server has them but no multiplexed
   * stream (instead of a long-poll each). @default true
   */
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

export interface ClientOptions<P extends ProtocolChoice = ProtocolChoice> {
  /** The server's base URL (http or https); job paths are resolved under it. Required. */
  baseUrl: string | URL;
  /**
   * The server's API: this library's protocol, `classic` (only `GET /status`), or an adapter: HeyGen's
   * from `@translation-status/client/heygen` (`heygenV2`, `heygenV3`), or your own.
   * @default 'translation-status'
   */
  protocol?: P | undefined;
  /** Sent as `Authorization: Bearer <apiKey>` (HeyGen: `x-api-key`), and hidden from every log line. */
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
  /**
   * The longest hold to ask for in `Prefer: wait`, seconds. The server's `max-wait` caps it (its longer
   * `max-result-wait` when the hold wakes only on the ending), and so do the job's ETA plus a grace (three
   * request timeouts before an ETA is known) and the deadline. Set it under a proxy's idle timeout that
   * you cannot raise. @default 300
   */
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
  /**
   * A webhook receiver of this process, `createWebhookReceiver({ secret, url })`: `createJob` then
   * sends its `url` as each job's `callbackUrl`, and `waitForCompletion` on such a job ends when the
   * webhook arrives, reading the status itself only as a rare safety net.
   * @default none
   */
  webhooks?: WebhookWaiter | undefined;
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

/** Options of `waitForCompletion()`: a wait's, and a checkpoint to resume from. */
export interface CompletionOptions extends WaitOptions {
  /**
   * A string from `client.checkpoint(jobId)`, maybe taken in another process: the wait goes on from it,
   * with the same deadline unless `timeoutMs` is given, without discovering the server again, its first
   * request held or streamed from the last version seen. Another job's or server's, or a damaged one,
   * is a ConfigurationError.
   */
  resumeFrom?: string | undefined;
}

/** Options of `watch()`: a wait's, without `onStatus` (the loop receives every status). */
export type WatchOptions = Omit<WaitOptions, 'onStatus'>;

/** Options of `getStatus()`: one read, retried within `timeoutMs`. */
export type GetStatusOptions = Pick<
  WaitOptions,
  'signal' | 'requestTimeoutMs' | 'retry' | 'timeoutMs' | 'onRetry'
>;

/** Options of `createJob()`. */
export type CreateJobOptions = Pick<WaitOptions, 'signal' | 'requestTimeoutMs' | 'onRetry'>;

export interface ResolvedClientOptions {
  /** Always ends with `/`, so `new URL('jobs', baseUrl)` stays under it. */
  readonly baseUrl: string;
  readonly protocol: ProtocolAdapter<unknown>;
  /** Headers for every request: the caller's, plus the protocol's key header from `apiKey`. */
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
  readonly webhooks: WebhookWaiter | undefined;
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
