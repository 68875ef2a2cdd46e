/**
 * How a held request (long-poll, single or batch) is sized and judged. Pure: the hold to ask for, the
 * sleep before it, whether it may wake at each stage change, and what an answer that came back too soon
 * calls for.
 */
import type { PollContext, ResolvedPollingOptions } from '../policy/schedule.js';
import { isPastEta, nextPollDelay } from '../policy/schedule.js';
import type { JobStatus } from '../protocol/status.js';

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
 * `Prefer: wait` to ask for, planned afresh for every attempt: the option, capped by the server, by the
 * job's ETA plus grace (so a lost hold costs seconds, not the rest of the wait), and by the earliest
 * deadline less two request timeouts (the hold's own, then one full re-ask). Below
 * `LONG_POLL_MIN_WAIT_S` the watch reads plainly instead: near the deadline, or once the job should have
 * ended and the channel was silent (a hedge).
 */
export function holdSeconds(input: HoldInput): number {
  const budgetS = Math.floor((input.remainingMs - 2 * input.requestTimeoutMs) / 1000);
  const etaS = input.untilSuspectMs === undefined ? Infinity : Math.ceil(input.untilSuspectMs / 1000);
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

export interface ApproachInput extends Omit<PollContext, 'previousDelayMs'> {
  readonly requestTimeoutMs: number;
}

/**
 * How long to sleep before the next held request: the ETA-driven delay of the polling schedule, so
 * holds start just before the estimated end; 0 without an estimate or once past it. Leaves room for
 * one held request and one re-ask before the earliest deadline. Only when nobody follows the stages:
 * otherwise each stage change must be seen as it happens.
 */
export function etaApproachMs(
  ctx: ApproachInput,
  status: JobStatus,
  polling: ResolvedPollingOptions,
  random: () => number,
): number {
  if (!polling.followEta || status.etaMs === undefined || isPastEta(status, polling)) return 0;
  const delay = nextPollDelay(
    { ...ctx, previousDelayMs: undefined },
    { ...polling, schedule: undefined },
    random,
  );
  const room = ctx.remainingMs - 2 * ctx.requestTimeoutMs - LONG_POLL_MIN_WAIT_S * 1000;
  return Math.max(0, Math.min(delay, room));
}
