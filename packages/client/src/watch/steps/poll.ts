/** The polling step: sleep as the schedule says (a re-plan may cut the sleep short), then read. */
import { bodyHints } from '../../protocol/hints.js';
import type { JobStatus } from '../../protocol/status.js';
import type { StepContext } from '../context.js';
import { notLaterThanPlanned } from '../pauses.js';
import { planPoll } from '../poll-plan.js';
import type { WatchState } from '../state.js';

/**
 * One poll of `pace` (the status the schedule follows; the batch passes the job expected to end first).
 * Resolves when the read is made (`read` runs it), or without reading when the earliest deadline can
 * only be waited out or a re-plan cut the sleep short.
 */
export async function pollStep(
  ctx: StepContext,
  state: WatchState,
  pace: JobStatus,
  signal: AbortSignal,
  read: () => Promise<unknown>,
): Promise<void> {
  const { clock, random } = ctx.deps;
  const remainingMs = ctx.listener.remainingMs();
  const now = clock.now();
  const deadlineAt = now + remainingMs;
  const { plan, previousDelayMs } = planPoll(
    state,
    {
      attempt: state.counters.requests,
      elapsedMs: now - state.startedAt,
      remainingMs,
      status: pace,
      hints: state.hints ?? bodyHints(pace),
    },
    deadlineAt,
    ctx.settings.polling,
    random,
  );
  if (plan.kind === 'deadline') {
    // Nothing fits before the earliest deadline (or its last poll is made): let it pass. A wait
    // joining or leaving re-plans at once.
    await ctx.pauses.pause(Math.max(1, remainingMs), signal);
    return;
  }
  state.previousDelayMs = previousDelayMs;
  const kept = notLaterThanPlanned(state.plannedAt, now, plan.delayMs);
  state.plannedAt = kept.plannedAt;
  if (!(await ctx.pauses.pause(kept.delayMs, signal))) return;
  if (plan.last) state.squeezedFor = deadlineAt;
  await read();
}
