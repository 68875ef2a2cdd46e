/**
 * The client's only `fetch` of JSON, one per attempt on its own connection (`connection.ts`: timeout,
 * caller's signal), under the retry policy: transient failures are retried with backoff, under the
 * wait's deadline and the client's shared retry budget; anything else is thrown as a typed error that
 * says which job, after how long and how many attempts.
 */
import type { Clock } from '../common/clock.js';
import { RetriesExhaustedError, type TranslationStatusError } from '../errors/index.js';
import { classifyResponse, type HttpOutcome } from '../protocol/response.js';
import { openConnection, type HttpDeps } from './connection.js';
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

/** An answer came: it refills the shared retry budget and tells later failures the server is up. */
export function answered(deps: Pick<ReaderDeps, 'budget' | 'contact' | 'clock'>): void {
  deps.budget?.recordSuccess();
  deps.contact.lastAnswerAt = deps.clock.now();
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
    const facts = { jobId: ctx.jobId, url: request.url };
    const connection = openConnection(deps.clock, ctx.signal, () => facts);
    connection.arm(ctx.requestTimeoutMs + (request.heldMs ?? 0));
    let outcome: HttpOutcome;
    try {
      const response = await deps.fetch(request.url, {
        method: request.method ?? 'GET',
        headers: { accept: 'application/json', ...deps.headers, ...request.headers },
        body: request.body ?? null,
        signal: connection.signal,
      });
      const text = await response.text(); // may fail too: the connection broke mid-body
      outcome = classifyResponse(facts, response.status, response.headers, text, deps.clock.now());
    } catch (error) {
      outcome = { ok: false, ...connection.fail(error) };
    } finally {
      connection.dispose();
    }
    if (outcome.ok) {
      answered(deps);
      return outcome;
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
  const attempts = ctx.counters.requests;
  if (!decision.retry) {
    if (decision.reason === 'not_transient') throw error.addContext({ elapsedMs, attempts });
    if (decision.reason === 'max_retries') {
      const { maxRetries } = ctx.retry;
      throw new RetriesExhaustedError({ jobId: ctx.jobId, elapsedMs, attempts, cause: error, maxRetries });
    }
  }
  const fields = { jobId: ctx.jobId, code: error.code, attempt: consecutiveFailures };
  // Only the deadline stands in the way: sleep until it, so the wait ends as a timeout. Say so, since
  // the wait will end without another word.
  const delayMs = decision.retry ? decision.delayMs : Math.max(0, ctx.remainingMs());
  if (decision.retry) {
    ctx.counters.retries += 1;
    deps.logger.info(
      { ...fields, delayMs },
      decision.probe
        ? `retry budget spent: probing again after ${error.code} at the slowest pace`
        : `retrying after ${error.code}`,
    );
    ctx.onRetry?.({ jobId: ctx.jobId, attempt: consecutiveFailures, delayMs, error, elapsedMs });
  } else {
    deps.logger.debug(
      { ...fields, remainingMs: delayMs },
      `not retrying after ${error.code}: the deadline is too near; waiting it out`,
    );
  }
  await deps.clock.sleep(delayMs, ctx.signal);
}
