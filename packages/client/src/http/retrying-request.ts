/**
 * Reads JSON from the server with the retry policy applied: transient failures are retried with
 * backoff, under the wait's deadline and the client's shared retry budget; anything else is thrown as
 * a typed error that says which job, after how long and how many attempts.
 */
import type { Clock } from '../common/clock.js';
import { RetriesExhaustedError, type TranslationStatusError } from '../errors/index.js';
import { sendJson, type HttpDeps } from './send-json.js';
import type { Logger } from '../common/logger.js';
import type { RetryInfo } from '../options/types.js';
import type { RequestFailure } from '../policy/failure.js';
import { decideRetry, type ResolvedRetryOptions } from '../policy/retry.js';
import type { RetryBudget } from '../policy/retry-budget.js';

/** When the server last answered any request of one client; shared by all its reads. */
export interface ServerContact {
  lastAnswerAt: number;
}

/** What a reader needs from its client. */
export interface ReaderDeps extends HttpDeps {
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly budget: RetryBudget | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Tells a blip (others are answered) from an outage (nobody is): see `BLIP_MAX_DELAY_MS`. */
  readonly contact: ServerContact;
}

/** Counters a wait reports in its statistics; shared by every request the wait makes. */
export interface RequestCounters {
  requests: number;
  retries: number;
}

/** Passed to `onRetry` before each backoff sleep. */
export type RetryEvent = RetryInfo;

export interface ReaderContext {
  readonly jobId: string | undefined;
  readonly retry: ResolvedRetryOptions;
  readonly requestTimeoutMs: number;
  readonly signal: AbortSignal;
  readonly startedAt: number;
  /** Milliseconds left before the earliest deadline of the wait(s) this read serves. */
  remainingMs(): number;
  readonly counters: RequestCounters;
  onRequest?(): void;
  onRetry?(event: RetryEvent): void;
}

export interface JsonAnswer {
  readonly json: unknown;
  readonly headers: Headers;
  readonly status: number;
}

export interface ReadRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Added to the per-request timeout, for requests the server holds on purpose (long-poll). */
  readonly heldMs?: number;
  /** Narrows which transient failures may be retried. */
  readonly retryIf?: (failure: RequestFailure) => boolean;
}

/**
 * Requests until an answer, a non-retryable failure, or the caller's abort. `request` may be a function
 * of the failures so far, so each retry is planned afresh (a held request re-sized to the time left).
 */
export async function readJson(
  deps: ReaderDeps,
  ctx: ReaderContext,
  plan: ReadRequest | ((consecutiveFailures: number) => ReadRequest),
): Promise<JsonAnswer> {
  let consecutiveFailures = 0;
  let lastFailureAt: number | undefined;
  for (;;) {
    const request = typeof plan === 'function' ? plan(consecutiveFailures) : plan;
    ctx.counters.requests += 1;
    ctx.onRequest?.();
    const outcome = await sendJson(deps, {
      url: request.url,
      ...(request.method === undefined ? {} : { method: request.method }),
      ...(request.body === undefined ? {} : { body: request.body }),
      headers: { accept: 'application/json', ...deps.headers, ...request.headers },
      timeoutMs: ctx.requestTimeoutMs + (request.heldMs ?? 0),
      signal: ctx.signal,
      jobId: ctx.jobId,
    });
    if (outcome.ok) {
      deps.budget?.recordSuccess();
      deps.contact.lastAnswerAt = deps.clock.now();
      return { json: outcome.json, headers: outcome.headers, status: outcome.status };
    }
    consecutiveFailures += 1;
    if (request.retryIf !== undefined && !request.retryIf(outcome.failure)) throw outcome.error;
    const failedAt = deps.clock.now();
    await afterFailure(deps, ctx, outcome.failure, outcome.error, consecutiveFailures, lastFailureAt);
    lastFailureAt = failedAt;
  }
}

/**
 * Decides what a failure leads to: a backoff sleep (returns), or a typed error (throws). When only the
 * deadline stands in the way, it sleeps until the deadline so the wait ends as a timeout, not as a
 * network error the caller could not have avoided. `lastFailureAt` is when the same read failed before:
 * an answer to another request since then makes this failure a blip (see `BLIP_MAX_DELAY_MS`).
 */
export async function afterFailure(
  deps: ReaderDeps,
  ctx: ReaderContext,
  failure: RequestFailure,
  error: TranslationStatusError,
  consecutiveFailures: number,
  lastFailureAt?: number,
): Promise<void> {
  const elapsedMs = deps.clock.now() - ctx.startedAt;
  const decision = decideRetry({
    consecutiveFailures,
    failure,
    retry: ctx.retry,
    remainingMs: ctx.remainingMs(),
    budget: deps.budget,
    nowMs: deps.clock.now(),
    random: deps.random,
    serverAnswering: lastFailureAt !== undefined && deps.contact.lastAnswerAt > lastFailureAt,
  });
  if (!decision.retry) {
    const context = { jobId: ctx.jobId, elapsedMs, attempts: ctx.counters.requests, cause: error };
    switch (decision.reason) {
      case 'deadline': {
        const remainingMs = Math.max(0, ctx.remainingMs());
        // Absorbed into the deadline: say so, since the wait will end as a timeout without another word.
        deps.logger.debug(
          { jobId: ctx.jobId, code: error.code, attempt: consecutiveFailures, remainingMs },
          `not retrying after ${error.code}: the deadline is too near; waiting it out`,
        );
        await deps.clock.sleep(remainingMs, ctx.signal);
        return;
      }
      case 'max_retries':
        throw new RetriesExhaustedError({ ...context, maxRetries: ctx.retry.maxRetries });
      case 'not_transient':
        error.addContext({ elapsedMs, attempts: ctx.counters.requests });
        throw error;
    }
  }
  ctx.counters.retries += 1;
  const event: RetryEvent = {
    jobId: ctx.jobId,
    attempt: consecutiveFailures,
    delayMs: decision.delayMs,
    error,
    elapsedMs,
  };
  deps.logger.info(
    { jobId: ctx.jobId, attempt: consecutiveFailures, delayMs: decision.delayMs, code: error.code },
    decision.probe
      ? `retry budget spent: probing again after ${error.code} at the slowest pace`
      : `retrying after ${error.code}`,
  );
  ctx.onRetry?.(event);
  await deps.clock.sleep(decision.delayMs, ctx.signal);
}
