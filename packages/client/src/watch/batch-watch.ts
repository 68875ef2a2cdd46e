/**
 * Waits on many jobs through the batch endpoint (`GET /jobs?ids=`): one request per tick for up to
 * `batch.maxIds` jobs, held by the server with `Prefer: wait` when it can, instead of one request per
 * job. Each job settles on its own as soon as the batch shows it terminal. The transport choice, hold
 * plan, wake choice, busy-loop guard and polling step are the single watch's.
 */
import { callSafely } from '../common/safely.js';
import { withDeadline } from '../common/signals.js';
import { HttpError, JobFailedError, WaitTimeoutError } from '../errors/index.js';
import { readJson } from '../http/retrying-request.js';
import { parseBatch } from '../protocol/batch.js';
import { readHints } from '../protocol/hints.js';
import { holdHeaders, withBatchVersions, withWakeOnResult } from '../protocol/long-poll.js';
import { batchUrl } from '../protocol/paths.js';
import type { JobStatus } from '../protocol/status.js';
import { readerContext, type StepContext, type WatchDeps, type WatchSettings } from './context.js';
import { busyLoopPauseMs, holdSeconds, wakesOnResultOnly } from './hold-plan.js';
import { createPauses } from './pauses.js';
import type { WaitCallbacks, WaitStats } from './shared-watch.js';
import { createWatchState } from './state.js';
import { pollStep } from './steps/poll.js';
import { chooseStep } from './transport-choice.js';
import { isVisibleChange } from './visible-change.js';

export type JobOutcome =
  { readonly status: JobStatus; readonly stats: WaitStats } | { readonly error: unknown };

/** The batch endpoint cannot be used; the caller waits on the jobs not yet settled one by one. */
export class BatchUnsupported extends Error {
  override readonly name = 'BatchUnsupported';
}

export interface BatchWaitRequest {
  readonly ids: readonly string[];
  readonly settings: WatchSettings;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly callbacks: WaitCallbacks;
  /** Called once per job, in the order they end. */
  onSettled(jobId: string, outcome: JobOutcome): void;
}

const DEADLINE = Symbol('deadline');

export async function waitForBatch(deps: WatchDeps, request: BatchWaitRequest): Promise<void> {
  const { clock } = deps;
  const { settings, callbacks } = request;
  const startedAt = clock.now();
  const deadline = startedAt + request.timeoutMs;
  const linked = withDeadline(clock, request.timeoutMs, request.signal, () => DEADLINE);
  const signal = linked.signal;
  const state = createWatchState(undefined, batchUrl(deps.baseUrl, request.ids), startedAt);
  const { counters } = state;
  const pending = new Map<string, JobStatus | undefined>(request.ids.map((id) => [id, undefined]));

  const elapsed = (): number => clock.now() - startedAt;
  const settle = (id: string, outcome: JobOutcome): void => {
    if (pending.delete(id)) request.onSettled(id, outcome);
  };
  const safely = (name: string, call: () => void): void => {
    callSafely(deps.logger, name, undefined, call);
  };
  const ctx: StepContext = {
    deps,
    settings,
    pauses: createPauses(clock),
    listener: {
      followsStages: () => callbacks.onStatus !== undefined,
      remainingMs: () => deadline - clock.now(),
      onStatus: () => undefined, // each job's status is reported with its own id, below
      onRequest: (transport) => {
        safely('onPoll', () =>
          callbacks.onPoll?.({
            jobId: undefined,
            elapsedMs: elapsed(),
            transport,
            requests: counters.requests,
          }),
        );
      },
      onRetry: (event) => {
        safely('onRetry', () => callbacks.onRetry?.(event));
      },
    },
  };

  const read = async (holdS: number | undefined): Promise<void> => {
    state.plannedAt = undefined;
    const ids = [...pending.keys()];
    let url = batchUrl(deps.baseUrl, ids);
    let headers: Record<string, string> = {};
    if (holdS !== undefined) {
      headers = holdHeaders(holdS, undefined);
      // Nobody follows the stages, so only an ending is news: the server holds through stage changes.
      // Otherwise the versions let the server answer at once if any job moved on: no change is missed.
      url = wakesOnResultOnly(ctx.listener.followsStages())
        ? withWakeOnResult(url)
        : withBatchVersions(
            url,
            ids.map((id) => pending.get(id)?.version),
          );
    }
    let answer;
    try {
      answer = await readJson(deps, readerContext(ctx, state, signal), {
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
    state.hints = readHints(answer.headers, undefined, clock.now(), url);
    if (holdS !== undefined && state.hints.preferenceAppliedWaitS === undefined) {
      state.unavailable.add('long-poll');
    }
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
          callbacks.onStatus?.(status, { jobId: id, elapsedMs: elapsed(), transport: state.transport }),
        );
      }
      const stats: WaitStats = {
        elapsedMs: elapsed(),
        requests: counters.requests,
        retries: counters.retries,
        transport: state.transport,
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
      const holdS = holdSeconds({
        longPollWaitS: settings.longPollWaitS,
        maxWaitS: state.hints?.capabilities.maxWaitS,
        remainingMs: ctx.listener.remainingMs(),
        requestTimeoutMs: settings.requestTimeoutMs,
      });
      const step = chooseStep({
        mode: settings.transport,
        capabilities: state.hints?.capabilities,
        unavailable: state.unavailable,
        streamUrlKnown: false,
        first: false,
        followsStages: ctx.listener.followsStages(),
        holdS,
      });
      if (step === 'long-poll') {
        state.transport = 'long-poll';
        const before = clock.now();
        const versionsBefore = new Map([...pending].map(([id, s]) => [id, s?.version]));
        await read(holdS);
        // Unchanged only if no job settled and none moved on: compared by id, not by position.
        const unchanged =
          pending.size === versionsBefore.size &&
          [...pending].every(([id, s]) => s?.version === versionsBefore.get(id));
        const pauseMs = busyLoopPauseMs(!unchanged, clock.now() - before, settings.polling);
        if (pauseMs > 0) await clock.sleep(pauseMs, signal);
        continue;
      }
      state.transport = 'poll';
      // The job expected to finish first sets the pace for the whole batch.
      const known = [...pending.values()].filter((s): s is JobStatus => s !== undefined);
      const soonest = known.sort((a, b) => (a.etaMs ?? Infinity) - (b.etaMs ?? Infinity))[0];
      if (soonest === undefined) break;
      await pollStep(ctx, state, soonest, signal, () => read(undefined));
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
