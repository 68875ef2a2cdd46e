/**
 * Time as a dependency: the waiter reads the time and sleeps only through a Clock, so tests and
 * benchmarks can drive it with a manual clock and every sleep stays abortable.
 */
import { whenAborted } from './signals.js';

export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin, for a manual clock). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as the signal aborts
   * (also when it is already aborted), leaving no timer or listener behind either way.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout's largest delay: Node turns anything larger into 1 ms, browsers overflow too. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function clampDelay(ms: number): number {
  if (Number.isNaN(ms)) return 0;
  return Math.min(MAX_TIMER_MS, Math.max(0, ms));
}

/** The real clock: `Date.now` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason as Error);
        return;
      }
      const timer = setTimeout(() => {
        detach?.();
        resolve();
      }, clampDelay(ms));
      const detach =
        signal &&
        whenAborted(signal, () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        });
    }),
};

/** A clock that moves only when told to, for tests and replayable benchmarks. */
export interface ManualClock extends Clock {
  /** Sleeps not yet resolved or aborted. */
  readonly pendingSleeps: number;
  /** The deadline of the earliest pending sleep, if any. */
  nextDeadline(): number | undefined;
  /**
   * Moves time forward by `ms`, waking every sleep whose deadline is reached, in deadline order (ties
   * in the order they were started), letting the woken code run before the next one wakes.
   */
  advance(ms: number): Promise<void>;
  /** Jumps to the earliest pending deadline and wakes the sleeps due then. False when none is pending. */
  advanceToNext(): Promise<boolean>;
  /** Advances from deadline to deadline until no sleep is pending (or `maxSteps` is reached). Returns the steps. */
  runAll(maxSteps?: number): Promise<number>;
}

interface PendingSleep {
  readonly deadline: number;
  readonly order: number;
  readonly wake: () => void;
}

/** Lets promise callbacks queued by a woken sleep run before time moves on. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export function createManualClock(start = 0): ManualClock {
  let time = start;
  let counter = 0;
  const pending: PendingSleep[] = [];

  const earliest = (): PendingSleep | undefined => {
    let best: PendingSleep | undefined;
    for (const entry of pending) {
      if (
        best === undefined ||
        entry.deadline < best.deadline ||
        (entry.deadline === best.deadline && entry.order < best.order)
      ) {
        best = entry;
      }
    }
    return best;
  };

  const wakeDueAt = async (limit: number): Promise<void> => {
    for (let next = earliest(); next !== undefined && next.deadline <= limit; next = earliest()) {
      time = Math.max(time, next.deadline);
      pending.splice(pending.indexOf(next), 1);
      next.wake();
      await flushMicrotasks();
    }
  };

  const clock: ManualClock = {
    now: () => time,
    get pendingSleeps() {
      return pending.length;
    },
    nextDeadline: () => earliest()?.deadline,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted === true) {
          reject(signal.reason as Error);
          return;
        }
        const onAbort = (): void => {
          const index = pending.indexOf(entry);
          if (index >= 0) pending.splice(index, 1);
          reject(signal?.reason as Error);
        };
        const entry: PendingSleep = {
          deadline: time + clampDelay(ms),
          order: counter++,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        pending.push(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    advance: async (ms) => {
      const target = time + Math.max(0, ms);
      await wakeDueAt(target);
      time = target;
    },
    advanceToNext: async () => {
      const next = earliest();
      if (next === undefined) return false;
      await wakeDueAt(next.deadline);
      return true;
    },
    runAll: async (maxSteps = 100_000) => {
      let steps = 0;
      while (steps < maxSteps && (await clock.advanceToNext())) steps++;
      return steps;
    },
  };
  return clock;
}
