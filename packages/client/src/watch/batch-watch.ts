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
import { isCompleted, type CompletedStatus, type JobStatus } from '../protocol/status.js';
import { readerContext, type StepContext, type WatchDeps, type WatchSettings } from './context.js';
import { heldAttempts } from './held-attempts.js';
import { busyLoopPauseMs, holdSeconds, wakesOnResultOnly } from './hold-plan.js';
import { suspectAt } from './silence.js';
import { createPauses } from './pauses.js';
import type { WaitCallbacks, WaitStats } from './shared-watch.js';
import { awaitDiscovery, meetsServer } from './run-watch.js';
import { createWatchState } from './state.js';
import { pollStep } from './steps/poll.js';
import { chooseStep } from './transport-choice.js';
import { isVisibleChange } from './visible-change.js';

export type JobOutcome =
  { readonly status: CompletedStatus; readonly stats: WaitStats } | { readonly error: unknown };

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

  /** The hold a batch can ask for now: the job due first bounds it (see `holdSeconds`). */
  const holdNow = (failures = 0): number => {
    let suspect = Infinity;
    for (const status of pending.values())
      suspect = Math.min(suspect, suspectAt(status, state.statusAt) ?? Infinity);
    // A lost hold with no estimate known is re-asked plainly: the answer brings one.
    if (failures > 0 && suspect === Infinity) return 0;
    return holdSeconds({
      longPollWaitS: settings.longPollWaitS,
      maxWaitS: state.hints?.capabilities.maxWaitS,
      remainingMs: ctx.listener.remainingMs(),
      requestTimeoutMs: settings.requestTimeoutMs,
      untilSuspectMs: suspect === Infinity ? undefined : suspect - clock.now(),
    });
  };

  /** One batch read of the jobs still pending, held when `hold` (each attempt sized afresh). */
  const read = async (hold: boolean): Promise<{ heldS: number | undefined; sentAt: number }> => {
    state.plannedAt = undefined;
    const ids = [...pending.keys()];
    const plainUrl = batchUrl(deps.baseUrl, ids);
    const attempts = heldAttempts({
      logger: deps.logger,
      jobId: undefined,
      now: () => clock.now(),
      holdS: (failures) => (hold ? holdNow(failures) : 0),
      held: (waitS) => ({
        // Nobody follows the stages, so only an ending is news: the server holds through stage changes.
        // Otherwise the versions let the server answer at once if any job moved on: no change is missed.
        url: wakesOnResultOnly(ctx.listener.followsStages())
          ? withWakeOnResult(plainUrl)
          : withBatchVersions(
              plainUrl,
              ids.map((id) => pending.get(id)?.version),
            ),
        headers: holdHeaders(waitS, undefined),
        heldMs: waitS * 1000,
      }),
      plain: () => ({ url: plainUrl }),
    });
    let answer;
    try {
      answer = await readJson(deps, readerContext(ctx, state, signal), attempts.attempt);
    } catch (error) {
      if (error instanceof HttpError && [400, 404, 405, 501].includes(error.status)) {
        throw new BatchUnsupported(`the batch endpoint answered ${error.status}`, { cause: error });
      }
      throw error;
    }
    const parsed = parseBatch(answer.json);
    if (!parsed.ok) throw new BatchUnsupported(`the batch answer is not understood: ${parsed.problem}`);
    const heldS = attempts.heldS();
    state.hints = readHints(answer.headers, undefined, clock.now(), plainUrl);
    deps.server.capabilities = state.hints.capabilities;
    state.statusAt = clock.now();
    if (heldS !== undefined && state.hints.preferenceAppliedWaitS === undefined) {
      state.unavailable.set('long-poll', Infinity);
    }
    for (const [id, entry] of parsed.entries) {
      if (!pending.has(id)) continue;
      if ('error' in entry) {
        settle(id, {
          error: new HttpError({
            jobId: id,
            url: plainUrl,
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
      if (isCompleted(status)) settle(id, { status, stats });
      else if (status.result === 'error') {
        settle(id, {
          error: new JobFailedError({ jobId: id, status, elapsedMs: elapsed(), attempts: counters.requests }),
        });
      }
    }
    return { heldS, sentAt: attempts.sentAt() };
  };

  // A server that multiplexes: its shared streams cost less than held batches.
  const multiplexes = (): boolean =>
    settings.transport === 'auto' && deps.server.capabilities?.multiEvents === true;
  try {
    // On a server not met yet, one batch (the first to start) asks; the others wait for its answer,
    // so that on a server that multiplexes they go to shared streams without a batch read each.
    if (deps.server.capabilities === undefined && deps.server.discovery !== undefined) {
      await awaitDiscovery(ctx, deps.server.discovery, signal);
    }
    if (multiplexes()) throw new BatchUnsupported('the server multiplexes event streams');
    const first = read(false);
    meetsServer(deps.server, first);
    await first;
    if (multiplexes()) throw new BatchUnsupported('the server multiplexes event streams');
    while (pending.size > 0) {
      const step = chooseStep({
        mode: settings.transport,
        capabilities: state.hints?.capabilities,
        unavailable: state.unavailable,
        streamUrlKnown: false,
        shareable: false,
        first: false,
        followsStages: ctx.listener.followsStages(),
        holdS: holdNow(),
      });
      if (step === 'long-poll') {
        state.transport = 'long-poll';
        const versionsBefore = new Map([...pending].map(([id, s]) => [id, s?.version]));
        const { heldS, sentAt } = await read(true);
        if (heldS === undefined) continue; // a plain read: nothing to judge the holding by
        // Unchanged only if no job settled and none moved on: compared by id, not by position.
        const unchanged =
          pending.size === versionsBefore.size &&
          [...pending].every(([id, s]) => s?.version === versionsBefore.get(id));
        const pauseMs = busyLoopPauseMs(!unchanged, clock.now() - sentAt, settings.polling);
        if (pauseMs > 0) await clock.sleep(pauseMs, signal);
        continue;
      }
      state.transport = 'poll';
      // The job expected to finish first sets the pace for the whole batch.
      const known = [...pending.values()].filter((s): s is JobStatus => s !== undefined);
      const soonest = known.sort((a, b) => (a.etaMs ?? Infinity) - (b.etaMs ?? Infinity))[0];
      if (soonest === undefined) break;
      await pollStep(ctx, state, soonest, signal, () => read(false));
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
