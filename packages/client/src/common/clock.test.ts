import { describe, expect, it } from 'vitest';
import { createManualClock, MAX_TIMER_MS, systemClock } from './clock.js';

describe('systemClock', () => {
  it('reads the time from Date.now', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('resolves a short sleep', async () => {
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
  });

  it('rejects at once with the reason when the signal is already aborted', async () => {
    const reason = new Error('stop');
    await expect(systemClock.sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('rejects with the reason when aborted during the sleep, clearing its timer', async () => {
    const timers = (): number =>
      (process as unknown as { getActiveResourcesInfo(): string[] })
        .getActiveResourcesInfo()
        .filter((h) => h === 'Timeout').length;
    const controller = new AbortController();
    const reason = new Error('stop');
    const before = timers();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    expect(timers()).toBe(before + 1);
    await Promise.resolve();
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(timers()).toBe(before);
  });

  it('removes its abort listener once the sleep resolves', async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof signal.removeEventListener;
    await systemClock.sleep(1, signal);
    expect(added).toBe(1);
    expect(removed).toBe(1);
  });

  it('treats a negative or NaN delay as zero', async () => {
    await expect(systemClock.sleep(-5)).resolves.toBeUndefined();
    await expect(systemClock.sleep(Number.NaN)).resolves.toBeUndefined();
  });
});

describe('createManualClock', () => {
  it('starts at the given time and only moves when advanced', async () => {
    const clock = createManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  it('resolves a sleep only once time reaches its deadline', async () => {
    const clock = createManualClock();
    let done = false;
    void clock.sleep(100).then(() => (done = true));
    await clock.advance(99);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
  });

  it('wakes sleeps in deadline order, ties in start order, with the time of each deadline', async () => {
    const clock = createManualClock();
    const woke: string[] = [];
    const track = (name: string, ms: number): void => {
      void clock.sleep(ms).then(() => woke.push(`${name}@${clock.now()}`));
    };
    track('c', 30);
    track('a', 10);
    track('b', 10);
    await clock.advance(100);
    expect(woke).toEqual(['a@10', 'b@10', 'c@30']);
    expect(clock.now()).toBe(100);
  });

  it('lets a woken task schedule a sleep that the same advance then reaches', async () => {
    const clock = createManualClock();
    const woke: number[] = [];
    void (async () => {
      await clock.sleep(10);
      woke.push(clock.now());
      await clock.sleep(10);
      woke.push(clock.now());
    })();
    await clock.advance(25);
    expect(woke).toEqual([10, 20]);
  });

  it('counts pending sleeps and reports the next deadline', () => {
    const clock = createManualClock();
    void clock.sleep(50);
    void clock.sleep(20);
    expect(clock.pendingSleeps).toBe(2);
    expect(clock.nextDeadline()).toBe(20);
  });

  it('advanceToNext jumps to the earliest deadline and says false when nothing is pending', async () => {
    const clock = createManualClock();
    void clock.sleep(40);
    expect(await clock.advanceToNext()).toBe(true);
    expect(clock.now()).toBe(40);
    expect(await clock.advanceToNext()).toBe(false);
  });

  it('runAll drains every sleep, including ones scheduled while draining', async () => {
    const clock = createManualClock();
    void (async () => {
      for (let i = 0; i < 3; i++) await clock.sleep(1_000);
    })();
    expect(await clock.runAll()).toBe(3);
    expect(clock.now()).toBe(3_000);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('rejects an aborted sleep with the reason and forgets it', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const clock = createManualClock();
    const reason = new Error('already');
    await expect(clock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('clamps huge delays like a real timer would be clamped', () => {
    const clock = createManualClock();
    void clock.sleep(Number.MAX_VALUE);
    expect(clock.nextDeadline()).toBe(MAX_TIMER_MS);
  });
});
