/**
 * The hedge beside an open stream (a job's own or a shared one): once the job should have ended (its
 * ETA plus grace, counted from the last status) with nothing on the stream, the status is read plainly.
 * When that read shows the ending or a version the stream never delivered, the stream is cut and the
 * watch's loop goes on from what was read; an unchanged answer just refreshes the ETA.
 */
import { linkSignals } from '../common/signals.js';
import { readStatus } from './read-status.js';
import { suspectAt } from './silence.js';
import { jobIdOf, type WatchState } from './state.js';
import type { StepContext } from './context.js';

export interface Hedge {
  /** The stream's signal: the caller's, also aborted when the hedge saw more than the stream. */
  readonly signal: AbortSignal;
  /** Whether the hedge (not the caller) ended the stream. */
  cut(): boolean;
  /** Ends the hedge and frees its signals; call once the stream is over. */
  stop(): Promise<void>;
}

const HEDGE_SAW_MORE = new DOMException('a plain read saw more than the stream', 'AbortError');

/**
 * `idleMs`: how long a silent stream with no ETA known waits before looking again. `endingsOnly`: the
 * stream sends only endings (`wake=result`), so a later pending version is no sign that it lost one.
 */
export function hedgeStream(
  ctx: StepContext,
  state: WatchState,
  signal: AbortSignal,
  idleMs: number,
  endingsOnly = false,
): Hedge {
  const connection = linkSignals(signal);
  const stop = linkSignals(signal);
  const running = hedgeWhileStreaming(ctx, state, stop.signal, idleMs, endingsOnly, () => {
    connection.abort(HEDGE_SAW_MORE);
  });
  return {
    signal: connection.signal,
    cut: () => !signal.aborted && connection.signal.reason === HEDGE_SAW_MORE,
    async stop() {
      stop.abort(new DOMException('the stream ended', 'AbortError'));
      await running;
      stop.dispose();
      connection.dispose();
    },
  };
}

async function hedgeWhileStreaming(
  ctx: StepContext,
  state: WatchState,
  stop: AbortSignal,
  idleMs: number,
  endingsOnly: boolean,
  sawMore: () => void,
): Promise<void> {
  const { clock, logger } = ctx.deps;
  try {
    for (;;) {
      const at = suspectAt(state.status, state.statusAt);
      // Without an estimate there is nothing to suspect yet: look again once an event may have brought
      // one (a fresh stream's first event is due within a request timeout).
      const unknownMs = state.status === undefined ? ctx.settings.requestTimeoutMs : idleMs;
      const waitMs = at === undefined ? unknownMs : at - clock.now();
      if (waitMs > 0) {
        await clock.sleep(waitMs, stop);
        continue;
      }
      const before = state.status?.version;
      logger.debug(
        { jobId: jobIdOf(state), version: before },
        "the event stream is silent past the job's ETA: reading the status plainly (hedge)",
      );
      const read = await readStatus(ctx, state, stop);
      const newer =
        !endingsOnly && read.version !== undefined && (before === undefined || read.version > before);
      if (read.result !== 'pending' || newer) {
        sawMore();
        return;
      }
    }
  } catch (error) {
    if (stop.aborted) return;
    logger.debug({ jobId: jobIdOf(state), err: error }, 'the hedge read failed; following the stream still');
  }
}
