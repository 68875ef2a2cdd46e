/**
 * One timer for the deadlines of many waits: a binary heap by time, and one sleep on the clock for the
 * earliest. Ten thousand pending waits cost ten thousand small heap entries, not ten thousand timers,
 * abort controllers and promise chains; with no deadline left, no timer is left either.
 */
import type { Clock } from '../common/clock.js';
import { CUT } from './pauses.js';

export interface Deadline {
  /** When it falls due, on the clock. */
  readonly at: number;
  /** Called once at `at`, unless removed first. */
  fire(): void;
  /** Where it sits in the heap; -1 when not in it. Owned by `Deadlines`. */
  index: number;
}

export class Deadlines {
  readonly #heap: Deadline[] = [];
  #timer: AbortController | undefined;
  #armedAt = Infinity;
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(deadline: Deadline): void {
    this.#heap.push(deadline);
    this.#sift(this.#heap.length - 1);
    this.#arm();
  }

  remove(deadline: Deadline): void {
    const heap = this.#heap;
    const i = deadline.index;
    if (heap[i] !== deadline) return;
    deadline.index = -1;
    const last = heap.pop() as Deadline;
    if (i < heap.length) {
      heap[i] = last;
      this.#sift(i);
    }
    this.#arm();
  }

  /** Sleeps until the earliest deadline (again only when that changed); none: no timer. */
  #arm(): void {
    const at = this.#heap[0]?.at ?? Infinity;
    if (at === this.#armedAt) return;
    this.#timer?.abort(CUT); // an earlier deadline came, or none is left
    this.#armedAt = at;
    const timer = at === Infinity ? undefined : new AbortController();
    this.#timer = timer;
    if (timer === undefined) return;
    this.#clock.sleep(at - this.#clock.now(), timer.signal).then(
      () => {
        this.#armedAt = Infinity;
        const now = this.#clock.now();
        for (let first = this.#heap[0]; first !== undefined && first.at <= now; first = this.#heap[0]) {
          this.remove(first);
          first.fire();
        }
        this.#arm();
      },
      () => undefined, // re-armed for an earlier deadline, or none left
    );
  }

  /** Moves the entry at `i` up or down to its place, keeping every entry's `index` right. */
  #sift(i: number): void {
    const heap = this.#heap;
    const entry = heap[i] as Deadline;
    for (;;) {
      const parent = (i - 1) >> 1;
      const left = 2 * i + 1;
      const child =
        left + 1 < heap.length && (heap[left + 1] as Deadline).at < (heap[left] as Deadline).at
          ? left + 1
          : left;
      let next: number | undefined;
      if (i > 0 && (heap[parent] as Deadline).at > entry.at) next = parent;
      else if (child < heap.length && (heap[child] as Deadline).at < entry.at) next = child;
      if (next === undefined) break;
      const other = heap[next] as Deadline;
      heap[i] = other;
      other.index = i;
      i = next;
    }
    heap[i] = entry;
    entry.index = i;
  }
}
