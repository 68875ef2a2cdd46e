/**
 * Virtual time: `sleep` registers a timer and the driver jumps straight to the earliest one once every
 * other piece of work is waiting, so hours of polling replay in microseconds and concurrent timers (a
 * request timeout racing a held long-poll) still fire in the right order.
 */

/** The clock every strategy and the simulated server receive. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` of virtual time; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Rounds of "nothing runnable" tolerated before a wait with no timers is declared stuck. */
const IDLE_ROUNDS_BEFORE_STUCK = 3;

const nextMacrotask = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  // A handful of timers at most per job, so a plain array beats a heap.
  #timers: Timer[] = [];

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (Number.isNaN(ms) || ms < 0) {
      return Promise.reject(new RangeError(`sleep: ms must be a number >= 0, got ${ms}`));
    }
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason as Error);
      };
      const timer: Timer = {
        at: this.#now + ms,
        seq: this.#seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      // An infinite sleep never fires; it only ends by abort, so it needs no timer.
      if (Number.isFinite(ms)) this.#timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Drives virtual time until `work` settles, then returns its outcome. Throws if the work is waiting on
   * nothing (no timer left), which would hang forever in real time too.
   */
  async drive<T>(work: Promise<T>): Promise<T> {
    const state = { settled: false };
    work.then(
      () => (state.settled = true),
      () => (state.settled = true),
    );
    let idleRounds = 0;
    for (;;) {
      await nextMacrotask();
      if (state.settled) return work;
      const next = this.#earliest();
      if (next === undefined) {
        if (++idleRounds > IDLE_ROUNDS_BEFORE_STUCK) {
          throw new Error('virtual clock: the work is waiting on nothing (no timer is armed)');
        }
        continue;
      }
      idleRounds = 0;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fire();
    }
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
