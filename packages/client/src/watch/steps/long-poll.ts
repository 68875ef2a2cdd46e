/**
 * The long-poll step: one held request (`Prefer: wait`, `If-None-Match`), waking only on the ending
 * when nobody follows the stages. It never sleeps towards the ETA first: a held request is the sleep,
 * and unlike a sleep it ends as soon as the job does, an early failure or a cancel included (no ETA
 * foresees those), at the cost of one request per hold (`max-wait`). Each attempt is sized afresh from
 * the time left, and once the job should have ended on a silent channel the re-ask is a plain read (a
 * hedge).
 */
import { linkSignals } from '../../common/signals.js';
import { holdHeaders, withWakeOnResult } from '../../protocol/long-poll.js';
import { fallBack, type StepContext } from '../context.js';
import { busyLoopPauseMs, LONG_POLL_MIN_WAIT_S, planHold, wakesOnResultOnly } from '../hold-plan.js';
import { heldAttempts } from '../held-attempts.js';
import { CUT } from '../pauses.js';
import { readStatus } from '../read-status.js';
import { suspectAt } from '../silence.js';
import type { WatchState } from '../state.js';

/** The hold this watch can ask for now. */
export const holdFor = (ctx: StepContext, state: WatchState, failures?: number): number =>
  planHold(ctx, suspectAt(state.status, state.statusAt), failures);

/** One held request; the state's status is what the watch knows (none before its first answer). */
export async function longPollStep(ctx: StepContext, state: WatchState, signal: AbortSignal): Promise<void> {
  if (holdFor(ctx, state) < LONG_POLL_MIN_WAIT_S) return; // nothing to hold: the loop polls instead
  const { clock } = ctx.deps;
  const before = state.status;
  // Nobody follows the stages: ask to be answered only when the job ends (a server without `wake`
  // answers at each change, which is only a little more costly).
  const wakeOnResult = wakesOnResultOnly(ctx.listener.followsStages());
  const held = linkSignals(signal);
  // A hold for the ending only is cut short by a wait that follows the stages joining (see `onCut`).
  ctx.pauses.onCut(
    {
      cut: () => {
        held.abort(CUT);
      },
    },
    wakeOnResult,
  );
  const attempts = heldAttempts({
    deps: ctx.deps,
    jobId: state.jobId,
    holdS: (failures) => holdFor(ctx, state, failures),
    held: (waitS) => ({
      url: wakeOnResult ? withWakeOnResult(state.url) : state.url,
      headers: holdHeaders(waitS, before?.version),
      heldMs: waitS * 1000,
    }),
    plain: () => ({ url: state.url }),
  });
  let next;
  try {
    next = await readStatus(ctx, state, held.signal, attempts.attempt);
  } catch (error) {
    if (signal.aborted || held.signal.reason !== CUT) throw error;
    // Cut by a re-plan: a fresh read shows the joining wait the state now, and brings a fresh ETA to
    // size the next hold by (the one known may be a hold old).
    await readStatus(ctx, state, signal);
    return;
  } finally {
    ctx.pauses.onCut(undefined);
    held.dispose();
  }
  // An answer to a plain read says nothing about holding.
  if (attempts.heldS() === undefined) return;
  if (state.hints?.preferenceAppliedWaitS === undefined) {
    fallBack(ctx, state, 'long-poll', 'the server did not apply Prefer: wait');
  } else if (before !== undefined) {
    const pauseMs = busyLoopPauseMs(
      next.version !== before.version,
      clock.now() - attempts.sentAt(),
      ctx.settings.polling,
    );
    // A server that claims to hold but answers at once must not turn this into a busy loop.
    if (pauseMs > 0) await clock.sleep(pauseMs, signal);
  }
}
