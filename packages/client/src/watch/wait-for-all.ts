/**
 * `waitForAll`: one wait per job, each settling on its own, reported through `onSettled` as it does.
 * Those waits share channels as separate waits do (see `stream-hub.ts`); many jobs are marked
 * `batched`, so that on a server without multiplexed streams they go through held batches before
 * streams of their own, and try the batch endpoint even before the server is met.
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
import type { WatchDeps } from './context.js';
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

/** What `waitForAll` needs of its client. */
export interface AllWaits {
  readonly options: ResolvedClientOptions;
  readonly deps: WatchDeps;
  /** A wait on `jobId`; `batched` marks it one of many (see `chooseStep`). */
  wait(jobId: string, options: CompletionOptions, batched: boolean): Promise<CompletedWait>;
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
  const { onSettled, ...waitOptions } = options;
  // A few jobs on a streaming server stream one each (a single request each, every stage reported);
  // from `batch.streamBelow` on, held batches keep the connections few.
  const streams = client.deps.server.capabilities?.events === true && wait.transport === 'auto';
  const batched = ids.length > 1 && !(streams && ids.length < client.options.batch.streamBelow);
  const settled = new Map<string, SettledWait>();
  // `then`, not an async function per job: ten thousand pending jobs would be ten thousand frames.
  const report = (result: SettledWait): void => {
    settled.set(result.jobId, result);
    if (onSettled !== undefined)
      callSafely(client.options.logger, 'onSettled', result.jobId, () => {
        onSettled(result);
      });
  };
  await Promise.all(
    ids.map((jobId) =>
      client.wait(jobId, waitOptions, batched).then(
        (done) => {
          report({ jobId, ok: true, ...done });
        },
        (error: unknown) => {
          report({ jobId, ok: false, error: asError(error) });
        },
      ),
    ),
  );
  return jobIds.map((id) => settled.get(id) as SettledWait);
}
