import type { Clock } from './clock.js';
import { MAX_TIMER_MS } from './clock.js';

interface Entry {
  readonly at: number;
  readonly seq: number;
  fn: (() => void) | undefined;
}

/**
 * Many deadlines, one timer: a binary min-heap of due times with a single clock timer armed for the
 * earliest. Job stage transitions, long-poll deadlines and SSE heartbeats all live here, so ten thousand
 * held requests cost ten thousand heap entries, not ten thousand timers.
 */
export class TimerQueue {
  readonly #clock: Clock;
  #heap: Entry[] = [];
  #seq = 0;
  #armedAt: number | undefined;
  #cancelArmed: (() => void) | undefined;
  #live = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Number of scheduled, not yet fired or cancelled callbacks. */
  get size(): number {
    return this.#live;
  }

  /** Runs `fn` at absolute time `at` (clock milliseconds). Returns a cancel function. */
  at(at: number, fn: () => void): () => void {
    const entry: Entry = { at, seq: this.#seq++, fn };
    this.#push(entry);
    this.#live++;
    this.#arm();
    return () => {
      if (entry.fn === undefined) return;
      entry.fn = undefined;
      this.#live--;
      if (this.#live === 0) this.#disarm();
    };
  }

  /** Runs `fn` after `ms` milliseconds. */
  after(ms: number, fn: () => void): () => void {
    return this.at(this.#clock.now() + ms, fn);
  }

  /** Cancels everything. */
  clear(): void {
    for (const entry of this.#heap) entry.fn = undefined;
    this.#heap = [];
    this.#live = 0;
    this.#disarm();
  }

  #arm(): void {
    this.#dropCancelledTop();
    const top = this.#heap[0];
    if (top === undefined) {
      this.#disarm();
      return;
    }
    if (this.#armedAt !== undefined && this.#armedAt <= top.at) return;
    this.#disarm();
    this.#armedAt = top.at;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, top.at - this.#clock.now()));
    this.#cancelArmed = this.#clock.setTimer(delay, () => {
      this.#armedAt = undefined;
      this.#cancelArmed = undefined;
      this.#fireDue();
    });
  }

  #disarm(): void {
    this.#cancelArmed?.();
    this.#cancelArmed = undefined;
    this.#armedAt = undefined;
  }

  #fireDue(): void {
    const now = this.#clock.now();
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.at > now) break;
      this.#pop();
      const fn = top.fn;
      if (fn === undefined) continue;
      top.fn = undefined;
      this.#live--;
      fn();
    }
    this.#arm();
  }

  #dropCancelledTop(): void {
    while (this.#heap[0] !== undefined && this.#heap[0].fn === undefined) this.#pop();
  }

  #less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry;
      if (!this.#less(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      let smallestEntry = last;
      const l = heap[left];
      if (l !== undefined && this.#less(l, smallestEntry)) {
        smallest = left;
        smallestEntry = l;
      }
      const r = heap[right];
      if (r !== undefined && this.#less(r, smallestEntry)) {
        smallest = right;
        smallestEntry = r;
      }
      if (smallest === i) break;
      heap[i] = smallestEntry;
      i = smallest;
    }
    heap[i] = last;
  }
}
