/**
 * The next poll of a watch (single or batch): the polling schedule's plan, with the memory it needs
 * between polls. Pure.
 */
import type { PollContext, PollPlan, ResolvedPollingOptions } from '../policy/schedule.js';
import { isPastEta, planNextPoll } from '../policy/schedule.js';
import type { WatchState } from './state.js';

export type PollMemory = Pick<WatchState, 'previousDelayMs' | 'squeezedFor'>;

/**
 * `planNextPoll`, except that once the last poll squeezed in before a deadline is made (the caller
 * records it in `squeezedFor` once made, so a re-plan during the sleep still makes it), that deadline
 * is only waited out; later deadlines, if any, poll on. Also returns the `previousDelayMs` to remember.
 */
export function planPoll(
  memory: PollMemory,
  ctx: Omit<PollContext, 'previousDelayMs'>,
  deadlineAt: number,
  polling: ResolvedPollingOptions,
  random: () => number,
): { readonly plan: PollPlan; readonly previousDelayMs: number | undefined } {
  const plan = planNextPoll({ ...ctx, previousDelayMs: memory.previousDelayMs }, polling, random);
  if (plan.kind === 'deadline' || memory.squeezedFor === deadlineAt) {
    return { plan: { kind: 'deadline' }, previousDelayMs: memory.previousDelayMs };
  }
  return { plan, previousDelayMs: isPastEta(ctx.status, polling) ? plan.delayMs : undefined };
}
