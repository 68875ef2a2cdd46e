/**
 * How a held request (long-poll, single or batch) is sized and judged. Pure: the hold to ask for,
 * whether it may wake at each stage change, and what an answer that came back too soon calls for.
 */
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import { LAST_POLL_MARGIN_MS } from '../policy/schedule.js';

/** The shortest hold worth asking for; closer to the deadline, the watch polls instead. */
export const LONG_POLL_MIN_WAIT_S = 1;

export interface HoldInput {
  /** What the caller asks for (`longPollWaitS`). */
  readonly longPollWaitS: number;
  /** The server's cap (`max-wait`), if it announced one. */
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
 * `Prefer: wait` to ask for, planned afresh for every attempt: the option, capped by the server, by the
 * job's ETA plus grace (so a lost hold costs seconds, not the rest of the wait) or, with no ETA, by
 * `BLIND_HOLD_REQUEST_TIMEOUTS`, and by the earliest deadline less `holdReserveMs`. Below
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
