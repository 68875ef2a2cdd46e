import { describe, expect, it } from 'vitest';
import { createManualClock } from '../common/clock.js';
import { notLaterThanPlanned, Pauses } from './pauses.js';

describe('pauses', () => {
  it('a pause runs its length, and a re-plan cuts it short', async () => {
    const clock = createManualClock();
    const pauses = new Pauses(clock);
    const signal = new AbortController().signal;
    const full = pauses.pause(1_000, signal);
    await clock.advance(1_000);
    await expect(full).resolves.toBe(true);
    const cut = pauses.pause(1_000, signal);
    pauses.replan(false);
    await expect(cut).resolves.toBe(false);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('the caller aborting a pause rejects it with the reason', async () => {
    const pauses = new Pauses(createManualClock());
    const caller = new AbortController();
    const paused = pauses.pause(1_000, caller.signal);
    caller.abort(new Error('gone'));
    await expect(paused).rejects.toThrow('gone');
  });

  it.each([
    ['a hold of endings only is cut by a re-plan with stages and by the hedge', true, 2],
    ['a hold of every stage only by the hedge', false, 1],
  ])('%s', (_name, onStages, cuts) => {
    const pauses = new Pauses(createManualClock());
    let cut = 0;
    const register = (): void => {
      pauses.onCut({ cut: () => (cut += 1) }, onStages);
    };
    register();
    pauses.replan(false);
    expect(cut).toBe(0);
    pauses.replan(true);
    register();
    pauses.cutHold();
    pauses.cutHold(); // once cut, a hold is not cut again
    expect(cut).toBe(cuts);
  });
});

describe('notLaterThanPlanned', () => {
  it.each<[string, number | undefined, number, number, number]>([
    ['nothing planned: the delay', undefined, 1_000, 5_000, 5_000],
    ['a re-plan may bring it forward', 9_000, 1_000, 2_000, 2_000],
    ['but never push it back', 4_000, 1_000, 10_000, 3_000],
    ['a plan already past is forgotten', 500, 1_000, 2_000, 2_000],
  ])('%s', (_name, plannedAt, now, delayMs, kept) => {
    expect(notLaterThanPlanned(plannedAt, now, delayMs)).toEqual({ delayMs: kept, plannedAt: now + kept });
  });
});
