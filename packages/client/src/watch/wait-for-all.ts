/**
 * `waitForAll`: one wait per job, each settling on its own. On a server that multiplexes, those waits
 * gather onto shared streams by themselves (see `stream-hub.ts`); on one with only the batch endpoint,
 * many jobs go through held batch reads first (`batch-watch.ts`).
 */
import { callSafely } from '../common/safely.js';
import type { TranslationStatusError } from '../errors/index.js';
import type {
  CompletionOptions,
  ResolvedClientOptions,
  ResolvedWaitOptions,
  WaitOptions,
} from '../options/types.js';
import type { CompletedStatus } from '../protocol/status.js';
import type { WatchDeps, WatchSettings } from './context.js';
import { BatchUnsupported, waitForBatch } from './batch-watch.js';
import type { CompletedWait } from './shared-watch.js';

/** Options of `waitForAll`: those of a wait, plus a callback as each job settles. */
export interface WaitForAllOptions extends WaitOptions {
  /**
   * Called once per job, the moment it settles (completed, failed, timed out...), before the others.
   * Unlike `onStatus`, it does not make a batch follow every stage change.
   */
  onSettled?: ((result: SettledWait) => void) | undefined;
}

/** The outcome of one job in `waitForAll`: never a rejection, so one failure cannot hide the others. */
export type SettledWait =
  | {
      readonly jobId: string;
      readonly ok: true;
      readonly status: CompletedStatus;
      readonly stats: CompletedWait['stats'];
    }
  | {
      readonly jobId: string;
      readonly ok: false;
      /**
       * Why the job did not complete: a `TranslationStatusError` (`JobFailedError`, `WaitTimeoutError`,
       * `HttpError`, …), or the signal's reason when the wait was aborted (any non-Error reason is
       * wrapped in an Error whose `cause` it is).
       */
      readonly error: TranslationStatusError | Error;
    };

type Outcome = CompletedWait | { readonly error: unknown };

/** What `waitForAll` needs of its client. */
export interface AllWaits {
  readonly options: ResolvedClientOptions;
  readonly deps: WatchDeps;
  settings(wait: ResolvedWaitOptions): WatchSettings;
  waitForCompletion(jobId: string, options: CompletionOptions): Promise<CompletedWait>;
}

/** A failure as an Error: an abort reason may be any value (`controller.abort('stop')`). */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(`Aborted: ${String(error)}`, { cause: error });
}

export async function waitForAll(
  client: AllWaits,
  jobIds: readonly string[],
  ids: readonly string[],
  wait: ResolvedWaitOptions,
  options: WaitForAllOptions,
): Promise<SettledWait[]> {
  const { logger, clock, batch } = client.options;
  const { onSettled, ...waitOptions } = options;
  const startedAt = clock.now();
  const settled = new Map<string, SettledWait>();
  const record = (jobId: string, outcome: Outcome): void => {
    const result: SettledWait =
      'error' in outcome
        ? { jobId, ok: false, error: asError(outcome.error) }
        : { jobId, ok: true, ...outcome };
    settled.set(jobId, result);
    if (onSettled !== undefined)
      callSafely(logger, 'onSettled', jobId, () => {
        onSettled(result);
      });
  };
  const capabilities = client.deps.server.capabilities;
  const streams =
    capabilities?.events === true && wait.transport !== 'long-poll' && wait.transport !== 'poll';
  const shared =
    capabilities?.multiEvents === true && (wait.transport === 'auto' || wait.transport === 'sse');
  const fewEnoughToStream = streams && ids.length < batch.streamBelow;
  const batched = batch.enabled && client.deps.protocol.extensions;
  if (batched && ids.length > 1 && wait.transport !== 'sse' && !fewEnoughToStream && !shared) {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += batch.maxIds) chunks.push(ids.slice(i, i + batch.maxIds));
    await Promise.all(
      chunks.map((chunk) =>
        waitForBatch(client.deps, {
          ids: chunk,
          settings: client.settings(wait),
          timeoutMs: wait.timeoutMs,
          signal: wait.signal,
          callbacks: { onStatus: wait.onStatus, onPoll: wait.onPoll, onRetry: wait.onRetry },
          onSettled: record,
        }).catch((error: unknown) => {
          if (!(error instanceof BatchUnsupported)) throw error;
          logger.debug({ reason: error.message }, 'batch unavailable, waiting on each job');
        }),
      ),
    );
  }
  const elapsed = clock.now() - startedAt;
  await Promise.all(
    ids
      .filter((id) => !settled.has(id))
      .map(async (jobId) => {
        try {
          record(
            jobId,
            await client.waitForCompletion(jobId, {
              ...waitOptions,
              timeoutMs: Math.max(1, wait.timeoutMs - elapsed),
            }),
          );
        } catch (error) {
          record(jobId, { error });
        }
      }),
  );
  return jobIds.map((id) => settled.get(id) as SettledWait);
}
