/**
 * Waits on many jobs through the batch endpoint (`GET /jobs?ids=`): one request per tick for up to
 * `batch.maxIds` jobs, held by the server with `Prefer: wait` when it can, instead of one request per
 * job. Each job settles on its own as soon as the batch shows it terminal.
 */
import { HttpError, JobFailedError, WaitTimeoutError } from '../errors/index.js';
import { bodyHints, readHints, type ServerHints } from '../protocol/hints.js';
import { holdHeaders, withBatchVersions, withWakeOnResult } from '../protocol/long-poll.js';
import { batchUrl } from '../protocol/paths.js';
import { BUSY_LOOP_GUARD_MS } from './job-watcher.js';
import type { ActiveTransport, WatcherSettings } from './job-watcher.js';
import {
  readJson,
  type ReaderContext,
  type ReaderDeps,
  type RequestCounters,
} from '../http/retrying-request.js';
import { isPastEta, planNextPoll } from '../policy/schedule.js';
import { callSafely } from '../common/safely.js';
import { withDeadline } from '../common/signals.js';
import { parseBatch } from '../protocol/batch.js';
import type { JobStatus } from '../protocol/status.js';
import { isVisibleChange } from './visible-change.js';
import type { WaitCallbacks, WaitStats } from './shared-watch.js';

export type JobOutcome =
  { readonly status: JobStatus; readonly stats: WaitStats } | { readonly error: unknown };

/** The batch endpoint cannot be used; the caller waits on the jobs not yet settled one by one. */
export class BatchUnsupported extends Error {
  override readonly name = 'BatchUnsupported';
}

export interface BatchWaitRequest {
  readonly ids: readonly string[];
  readonly settings: WatcherSettings;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly callbacks: WaitCallbacks;
  /** Called once per job, in the order they end. */
  onSettled(jobId: string, outcome: JobOutcome): void;
}

const DEADLINE = Symbol('deadline');

export async function waitForBatch(
  deps: ReaderDeps & { readonly baseUrl: string },
  request: BatchWaitRequest,
): Promise<void> {
  const { clock } = deps;
  const startedAt = clock.now();
  const deadline = startedAt + request.timeoutMs;
  const linked = withDeadline(clock, request.timeoutMs, request.signal, () => DEADLINE);
  const signal = linked.signal;
  const counters: RequestCounters = { requests: 0, retries: 0 };
  const pending = new Map<string, JobStatus | undefined>(request.ids.map((id) => [id, undefined]));
  let transport: ActiveTransport = 'poll';
  let hints: ServerHints | undefined;
  let previousDelayMs: number | undefined;
  let lastPollMade = false;
  // Read and written by read() below; an object so the compiler sees the closure's writes.
  const support = { longPoll: true };

  const elapsed = (): number => clock.now() - startedAt;
  const settle = (id: string, outcome: JobOutcome): void => {
    if (pending.delete(id)) request.onSettled(id, outcome);
  };
  const safely = (name: string, call: () => void): void => {
    callSafely(deps.logger, name, undefined, call);
  };
  const context: ReaderContext = {
    jobId: undefined,
    retry: request.settings.retry,
    requestTimeoutMs: request.settings.requestTimeoutMs,
    signal,
    startedAt,
    remainingMs: () => deadline - clock.now(),
    counters,
    onRequest: () => {
      safely('onPoll', () =>
        request.callbacks.onPoll?.({
          jobId: undefined,
          elapsedMs: elapsed(),
          transport,
          requests: counters.requests,
        }),
      );
    },
    onRetry: (event) => {
      safely('onRetry', () => request.callbacks.onRetry?.(event));
    },
  };

  const read = async (holdS: number | undefined): Promise<void> => {
    const ids = [...pending.keys()];
    let url = batchUrl(deps.baseUrl, ids);
    let headers: Record<string, string> = {};
    if (holdS !== undefined) {
      headers = holdHeaders(holdS, undefined);
      // Nobody follows the stages, so only an ending is news: the server holds through stage changes.
      // Otherwise the versions let the server answer at once if any job moved on: no change is missed.
      url =
        request.callbacks.onStatus === undefined
          ? withWakeOnResult(url)
          : withBatchVersions(
              url,
              ids.map((id) => pending.get(id)?.version),
            );
    }
    let answer;
    try {
      answer = await readJson(deps, context, {
        url,
        headers,
        ...(holdS === undefined ? {} : { heldMs: holdS * 1000 }),
      });
    } catch (error) {
      if (error instanceof HttpError && [400, 404, 405, 501].includes(error.status)) {
        throw new BatchUnsupported(`the batch endpoint answered ${error.status}`, { cause: error });
      }
      throw error;
    }
    const parsed = parseBatch(answer.json);
    if (!parsed.ok) throw new BatchUnsupported(`the batch answer is not understood: ${parsed.problem}`);
    hints = readHints(answer.headers, undefined, clock.now(), url);
    if (holdS !== undefined && hints.preferenceAppliedWaitS === undefined) support.longPoll = false;
    for (const [id, entry] of parsed.entries) {
      if (!pending.has(id)) continue;
      if ('error' in entry) {
        settle(id, {
          error: new HttpError({
            jobId: id,
            url,
            status: 404,
            serverCode: entry.error.code,
            serverMessage: entry.error.message,
            elapsedMs: elapsed(),
            attempts: counters.requests,
          }),
        });
        continue;
      }
      const before = pending.get(id);
      const status = entry.status;
      pending.set(id, status);
      if (isVisibleChange(before, status)) {
        safely('onStatus', () =>
          request.callbacks.onStatus?.(status, { jobId: id, elapsedMs: elapsed(), transport }),
        );
      }
      const stats: WaitStats = {
        elapsedMs: elapsed(),
        requests: counters.requests,
        retries: counters.retries,
        transport,
      };
      if (status.result === 'completed') settle(id, { status, stats });
      else if (status.result === 'error') {
        settle(id, {
          error: new JobFailedError({ jobId: id, status, elapsedMs: elapsed(), attempts: counters.requests }),
        });
      }
    }
  };

  try {
    await read(undefined);
    while (pending.size > 0) {
      const remaining = deadline - clock.now();
      const mode = request.settings.transport;
      const offered = hints?.capabilities.longPoll === true || mode === 'long-poll';
      const holdS = Math.min(
        request.settings.longPollWaitS,
        hints?.capabilities.maxWaitS ?? Infinity,
        Math.floor((remaining - request.settings.requestTimeoutMs) / 1000),
      );
      if (support.longPoll && mode !== 'poll' && offered && holdS >= 1) {
        transport = 'long-poll';
        const before = clock.now();
        const versionsBefore = new Map([...pending].map(([id, s]) => [id, s?.version]));
        await read(holdS);
        // Unchanged only if no job settled and none moved on: compared by id, not by position.
        const unchanged =
          pending.size === versionsBefore.size &&
          [...pending].every(([id, s]) => s?.version === versionsBefore.get(id));
        if (unchanged && clock.now() - before < BUSY_LOOP_GUARD_MS) {
          // A server that claims to hold but answers at once must not turn this into a busy loop.
          await clock.sleep(Math.max(BUSY_LOOP_GUARD_MS, request.settings.polling.minDelayMs), signal);
        }
        continue;
      }
      transport = 'poll';
      // The job expected to finish first sets the pace for the whole batch.
      const known = [...pending.values()].filter((s): s is JobStatus => s !== undefined);
      const soonest = known.sort((a, b) => (a.etaMs ?? Infinity) - (b.etaMs ?? Infinity))[0];
      if (soonest === undefined) break;
      const plan = planNextPoll(
        {
          attempt: counters.requests,
          elapsedMs: elapsed(),
          remainingMs: remaining,
          status: soonest,
          hints: hints ?? bodyHints(soonest),
          previousDelayMs,
        },
        request.settings.polling,
        deps.random,
      );
      if (plan.kind === 'deadline' || lastPollMade) {
        await clock.sleep(Math.max(1, remaining), signal); // ends in the deadline abort below
        continue;
      }
      lastPollMade = plan.last;
      previousDelayMs = isPastEta(soonest, request.settings.polling) ? plan.delayMs : undefined;
      await clock.sleep(plan.delayMs, signal);
      await read(undefined);
    }
  } catch (error) {
    if (error instanceof BatchUnsupported) throw error;
    for (const [id, status] of [...pending]) {
      if (signal.reason === DEADLINE) {
        settle(id, {
          error: new WaitTimeoutError({
            jobId: id,
            timeoutMs: request.timeoutMs,
            lastStatus: status,
            elapsedMs: elapsed(),
            attempts: counters.requests,
          }),
        });
      } else settle(id, { error: signal.aborted ? signal.reason : error });
    }
  } finally {
    linked.dispose();
  }
}
