/**
 * Turns a callback-driven wait into an async iterator. Breaking out of the loop aborts the wait, and
 * the generator returns only once the wait has let go of everything.
 */
import { JobFailedError } from '../errors/index.js';
import { linkSignals } from '../common/signals.js';
import type { JobStatus } from '../protocol/status.js';

type StartWait = (onStatus: (status: JobStatus) => void, signal: AbortSignal) => Promise<unknown>;

export async function* watchStatuses(
  start: StartWait,
  signal: AbortSignal | undefined,
): AsyncGenerator<JobStatus, void, undefined> {
  const linked = linkSignals(signal);
  const queue: JobStatus[] = [];
  let wake: (() => void) | undefined;
  // Written by the wait's callbacks; an object so the compiler sees those writes.
  const state: { finished: boolean; failure?: { error: unknown } } = { finished: false };
  const done = start((status) => {
    queue.push(status);
    wake?.();
  }, linked.signal)
    .then(
      () => undefined,
      (error: unknown) => {
        // A failed job is not an error of the iteration: its terminal status has been yielded.
        if (!(error instanceof JobFailedError)) state.failure = { error };
      },
    )
    .finally(() => {
      state.finished = true;
      wake?.();
    });
  try {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (state.finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    if (state.failure !== undefined) throw state.failure.error;
  } finally {
    linked.abort(new DOMException('the watch loop was left', 'AbortError'));
    await done;
    linked.dispose();
  }
}
