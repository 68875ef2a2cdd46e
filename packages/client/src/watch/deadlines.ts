/**
 * One timer for the deadlines of many waits: a binary heap by time, and one sleep on the clock for the
 * earliest. Ten thousand pending waits cost ten thousand small heap entries, not ten thousand timers,
 * abort controllers and promise chains; with no deadline left, no timer is left either.
 */
import type { Clock } from '../common/clock.js';

export interface Deadline {
  /** When it falls due, on the clock. */
  readonly at: number;
  /** Called once at `at`, unless removed first. */
  fire(): void;
  /** Where it sits in the heap; -1 when not in it. Owned by `Deadlines`. */
  index: number;
}

const REARMED = new DOMException('an earlier deadline came', 'AbortError');

export class Deadlines {
  private readonly heap: Deadline[] = [];
  private timer: AbortController | undefined;
  private armedAt = Infinity;

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.heap.length;
  }

  add(deadline: Deadline): void {
    deadline.index = this.heap.length;
    this.heap.push(deadline);
    this.up(deadline.index);
    this.arm();
  }

  remove(deadline: Deadline): void {
    const i = deadline.index;
    if (i < 0 || this.heap[i] !== deadline) return;
    deadline.index = -1;
    const last = this.heap.pop() as Deadline;
    if (i < this.heap.length) {
      this.heap[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
    this.arm();
  }

  /** Sleeps until the earliest deadline (again only when that changed); none: no timer. */
  private arm(): void {
    const at = this.heap[0]?.at ?? Infinity;
    if (at === this.armedAt) return;
    this.timer?.abort(REARMED);
    this.timer = undefined;
    this.armedAt = at;
    if (at === Infinity) return;
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleep(at - this.clock.now(), timer.signal).then(
      () => {
        if (this.timer !== timer) return;
        this.timer = undefined;
        this.armedAt = Infinity;
        this.fireDue();
      },
      () => undefined, // re-armed for an earlier deadline, or none left
    );
  }

  private fireDue(): void {
    const now = this.clock.now();
    for (let first = this.heap[0]; first !== undefined && first.at <= now; first = this.heap[0]) {
      this.remove(first);
      first.fire();
    }
    this.arm();
  }

  private up(i: number): void {
    const { heap } = this;
    for (let at = i; at > 0;) {
      const parent = (at - 1) >> 1;
      if ((heap[parent] as Deadline).at <= (heap[at] as Deadline).at) return;
      this.swap(at, parent);
      at = parent;
    }
  }

  private down(i: number): void {
    const { heap } = this;
    for (let at = i; ;) {
      const left = 2 * at + 1;
      let least = at;
      for (const child of [left, left + 1])
        if (child < heap.length && (heap[child] as Deadline).at < (heap[least] as Deadline).at) least = child;
      if (least === at) return;
      this.swap(at, least);
      at = least;
    }
  }

  private swap(a: number, b: number): void {
    const { heap } = this;
    const first = heap[a] as Deadline;
    const second = heap[b] as Deadline;
    heap[a] = second;
    heap[b] = first;
    first.index = b;
    second.index = a;
  }
}
