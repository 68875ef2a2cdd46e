/**
 * The long-poll step: sleep through the part of the job the ETA says cannot hold the end, then one held
 * request (`Prefer: wait`, `If-None-Match`), waking only on the ending when nobody follows the stages.
 */
import { holdHeaders, withWakeOnResult } from '../../protocol/long-poll.js';
import { fallBack, type StepContext } from '../context.js';
import {
  busyLoopPauseMs,
  etaApproachMs,
  holdSeconds,
  LONG_POLL_MIN_WAIT_S,
  wakesOnResultOnly,
} from '../hold-plan.js';
import { notLaterThanPlanned } from '../pauses.js';
import { readStatus } from '../read-status.js';
import type { WatchState } from '../state.js';
import { bodyHints } from '../../protocol/hints.js';

/** The hold this watch can ask for now. */
export function holdFor(ctx: StepContext, state: WatchState): number {
  return holdSeconds({
    longPollWaitS: ctx.settings.longPollWaitS,
    maxWaitS: state.hints?.capabilities.maxWaitS ?? ctx.deps.server.capabilities?.maxWaitS,
    remainingMs: ctx.listener.remainingMs(),
    requestTimeoutMs: ctx.settings.requestTimeoutMs,
  });
}

export async function longPollStep(ctx: StepContext, state: WatchState, signal: AbortSignal): Promise<void> {
  const status = state.status;
  if (status !== undefined) {
    const { clock, random } = ctx.deps;
    const now = clock.now();
    const approachMs = etaApproachMs(
      {
        attempt: state.counters.requests,
        elapsedMs: now - state.startedAt,
        remainingMs: ctx.listener.remainingMs(),
        status,
        hints: state.hints ?? bodyHints(status),
        requestTimeoutMs: ctx.settings.requestTimeoutMs,
      },
      status,
      ctx.settings.polling,
      random,
    );
    if (approachMs > 0) {
      const kept = notLaterThanPlanned(state.plannedAt, now, approachMs);
      state.plannedAt = kept.plannedAt;
      if (!(await ctx.pauses.pause(kept.delayMs, signal))) return;
    }
    if (holdFor(ctx, state) < LONG_POLL_MIN_WAIT_S) return; // too close to the deadline: the loop polls
  }
  await hold(ctx, state, signal);
}

/** One held request; the state's status is what the watch knows (none before its first answer). */
async function hold(ctx: StepContext, state: WatchState, signal: AbortSignal): Promise<void> {
  const { clock } = ctx.deps;
  const waitS = holdFor(ctx, state);
  const before = state.status;
  const startedAt = clock.now();
  // Nobody follows the stages: ask to be answered only when the job ends (a server without `wake`
  // answers at each change, which is only a little more costly).
  const wakeOnResult = wakesOnResultOnly(ctx.listener.followsStages());
  const held = ctx.pauses.resultHold(signal);
  let next;
  try {
    next = await readStatus(ctx, state, wakeOnResult ? held.signal : signal, {
      headers: holdHeaders(waitS, before?.version),
      heldMs: waitS * 1000,
      url: wakeOnResult ? withWakeOnResult(state.url) : state.url,
    });
  } catch (error) {
    if (signal.aborted || !wakeOnResult || !held.cut()) throw error;
    // Cut by a re-plan: a fresh read shows the joining wait the state now, and brings a fresh ETA (the
    // one known may be a hold old, and sleeping on it again could overshoot the end).
    await readStatus(ctx, state, signal);
    return;
  } finally {
    held.dispose();
  }
  if (state.hints?.preferenceAppliedWaitS === undefined) {
    fallBack(ctx, state, 'long-poll', 'the server did not apply Prefer: wait');
  } else if (before !== undefined) {
    const pauseMs = busyLoopPauseMs(
      next.version !== before.version,
      clock.now() - startedAt,
      ctx.settings.polling,
    );
    // A server that claims to hold but answers at once must not turn this into a busy loop.
    if (pauseMs > 0) await clock.sleep(pauseMs, signal);
  }
}
