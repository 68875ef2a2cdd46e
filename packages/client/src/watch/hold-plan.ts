/**
 * How a held request (long-poll, single or batch) is sized and judged. Pure: the hold to ask for,
 * whether it may wake at each stage change, and what an answer that came back too soon calls for.
 */
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import type { Capabilities } from '../protocol/capabilities.js';
import type { StepContext } from './context.js';
import { LAST_POLL_MARGIN_MS } from '../policy/schedule.js';

/** The shortest hold worth asking for; closer to the deadline, the watch polls instead. */
export const LONG_POLL_MIN_WAIT_S = 1;

export interface HoldInput {
  /** The longest hold the caller asks for (`longPollWaitS`). */
  readonly longPollWaitS: number;
  /** The server's cap on this hold (see `holdCapS`), if it announced one. */
  readonly maxWaitS: number | undefined;
  /** Milliseconds until the earliest deadline among the waits served. */
  readonly remainingMs: number;
  readonly requestTimeoutMs: number;
  /** Milliseconds until the job should have ended, grace included (see `suspectAt`); undefined without an ETA. */
  readonly untilSuspectMs: number | undefined;
}

/**
 * With no ETA known (a first request sent held, a server that does not estimate), a hold is at most
 * this many request timeouts: losing it is then noticed within a few request timeouts, as the caller
 * asked by choosing one, rather than after the server's cap.
 */
export const BLIND_HOLD_REQUEST_TIMEOUTS = 3;

/**
 * What a hold leaves free before the earliest deadline: its own timeout beyond the hold, then one more
 * read with the room a last poll gets (`LAST_POLL_MARGIN_MS`), so a lost hold can still be asked again.
 */
export function holdReserveMs(requestTimeoutMs: number): number {
  return requestTimeoutMs + Math.min(requestTimeoutMs, LAST_POLL_MARGIN_MS);
}

/**
 * `Prefer: wait` to ask for, planned afresh for every attempt: the option, capped by the server (for a
 * hold that wakes only on the ending, by its longer `max-result-wait`, and by a cut learnt on the way),
 * by the job's ETA plus grace (so a lost hold costs seconds, not the rest of the wait) or, with no ETA,
 * by `BLIND_HOLD_REQUEST_TIMEOUTS`, and by the earliest deadline less `holdReserveMs`. Below
 * `LONG_POLL_MIN_WAIT_S` the watch reads plainly instead: near the deadline, or once the job should have
 * ended and the channel was silent (a hedge).
 */
export function holdSeconds(input: HoldInput): number {
  const budgetS = Math.floor((input.remainingMs - holdReserveMs(input.requestTimeoutMs)) / 1000);
  const blindS = Math.max(
    LONG_POLL_MIN_WAIT_S,
    Math.floor((BLIND_HOLD_REQUEST_TIMEOUTS * input.requestTimeoutMs) / 1000),
  );
  const etaS = input.untilSuspectMs === undefined ? blindS : Math.ceil(input.untilSuspectMs / 1000);
  return Math.min(input.longPollWaitS, input.maxWaitS ?? Infinity, budgetS, etaS);
}

/**
 * The server's cap on a hold: `max-wait`, or for one that wakes only on the ending its longer
 * `max-result-wait`, kept under a cut learnt on the way (`cutS`, see `cutHoldS`).
 */
export function holdCapS(
  caps: Capabilities | undefined,
  wakeOnResult: boolean,
  cutS = Infinity,
): number | undefined {
  const longer = wakeOnResult ? caps?.maxResultWaitS : undefined;
  return longer === undefined ? caps?.maxWaitS : Math.min(longer, cutS);
}

/**
 * The hold a watch (single or batch) can ask for now, after `failures` failures, from what its client
 * knows of the server; `suspect` is when the job due first should have ended (see `suspectAt`),
 * undefined without an ETA.
 */
export function planHold(ctx: StepContext, suspect: number | undefined, failures = 0): number {
  const { server, clock } = ctx.deps;
  // A lost hold with no estimate known is re-asked plainly: the answer brings one.
  if (failures > 0 && suspect === undefined) return 0;
  return holdSeconds({
    longPollWaitS: ctx.settings.longPollWaitS,
    maxWaitS: holdCapS(server.capabilities, wakesOnResultOnly(ctx.listener.followsStages()), server.cutS),
    remainingMs: ctx.listener.remainingMs(),
    requestTimeoutMs: ctx.settings.requestTimeoutMs,
    untilSuspectMs: suspect === undefined ? undefined : suspect - clock.now(),
  });
}

/**
 * After a hold of `heldS` failed `afterMs` into it: one longer than `max-wait` that ended before its
 * time was most likely cut by an intermediary's idle timeout (nginx's `proxy_read_timeout` is 60 s by
 * default), so the longest hold to ask for from then on is a tenth under the cut, never under `max-wait`
 * (what a deployment is set up to bear). Infinity when the failure says nothing about length: a hold
 * within `max-wait`, or one that outlived its time (swallowed).
 */
export function cutHoldS(heldS: number, afterMs: number, maxWaitS = Infinity): number {
  return afterMs > maxWaitS * 1000 && afterMs < heldS * 1000
    ? Math.max(maxWaitS, Math.floor((afterMs * 0.9) / 1000))
    : Infinity;
}

/** Nobody follows the stages: ask to be answered only when the job ends (`wake=result`). */
export function wakesOnResultOnly(followsStages: boolean): boolean {
  return !followsStages;
}

/** A held request answered unchanged faster than this is treated as not held at all. */
export const BUSY_LOOP_GUARD_MS = 100;

/**
 * After a held answer: the pause a server that claims to hold but answers an unchanged state at once
 * calls for, so it cannot turn the watch into a busy loop; 0 when the answer was news or took its time.
 */
export function busyLoopPauseMs(changed: boolean, heldMs: number, polling: ResolvedPollingOptions): number {
  if (changed || heldMs >= BUSY_LOOP_GUARD_MS) return 0;
  return Math.max(BUSY_LOOP_GUARD_MS, polling.minDelayMs);
}
