/**
 * The jobs this instance has subscribers for. Nothing in Redis fires when a stage changes: a job's state
 * is derived from its plan and the time. So each watched job is read again (with Redis's clock) when its
 * plan says the next change is due, and when another instance announces a change that time does not
 * explain (a cancellation); its subscribers hear of each new version. One timer-heap entry per watched
 * job, however many requests hold on it; no job is read for nobody.
 */
import type { JobResource } from '../../protocol/job-resource.js';
import type { JobListener } from '../store.js';
import type { TimerQueue } from '../timer-queue.js';

/** A job as read now, and how long until its plan changes it (undefined once it cannot change). */
export interface Observation {
  readonly job: JobResource;
  readonly nextChangeInMs: number | undefined;
}

/** Reads one job; undefined when it does not exist (any more). May reject while Redis is unavailable. */
export type Observe = (id: string) => Promise<Observation | undefined>;

/** A timer firing this late after the plan's moment finds Redis's clock past it, on any instance. */
const LATE_BY_MS = 1;
/** A read that failed is tried again this much later. */
export const REREAD_AFTER_FAILURE_MS = 1000;

interface Watch {
  readonly listeners: Set<JobListener>;
  version: number | undefined;
  cancelTimer: (() => void) | undefined;
  reading: boolean;
  /** A refresh was asked for while a read was in flight: read again when it lands. */
  again: boolean;
}

export class JobWatches {
  readonly #observe: Observe;
  readonly #timers: TimerQueue;
  readonly #watches = new Map<string, Watch>();

  constructor(observe: Observe, timers: TimerQueue) {
    this.#observe = observe;
    this.#timers = timers;
  }

  /** Number of listeners over every watched job. */
  get listenerCount(): number {
    let n = 0;
    for (const watch of this.#watches.values()) n += watch.listeners.size;
    return n;
  }

  subscribe(id: string, listener: JobListener): () => void {
    let watch = this.#watches.get(id);
    if (watch === undefined) {
      watch = {
        listeners: new Set(),
        version: undefined,
        cancelTimer: undefined,
        reading: false,
        again: false,
      };
      this.#watches.set(id, watch);
      watch.listeners.add(listener);
      // The first read tells the listener the state as the watch found it: a change between the
      // subscriber's own read and this one is not lost.
      this.refresh(id);
    } else {
      watch.listeners.add(listener);
    }
    return () => {
      const current = this.#watches.get(id);
      if (current === undefined) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        current.cancelTimer?.();
        this.#watches.delete(id);
      }
    };
  }

  /** Reads a watched job again and tells its listeners if its version moved. Unwatched ids: nothing. */
  refresh(id: string): void {
    const watch = this.#watches.get(id);
    if (watch === undefined) return;
    if (watch.reading) {
      watch.again = true;
      return;
    }
    watch.reading = true;
    this.#observe(id).then(
      (observation) => {
        this.#landed(id, watch, observation);
      },
      () => {
        watch.reading = false;
        watch.again = false;
        // Tried again soon: a read can fail while the connection stays up (a command past its deadline
        // on a loaded machine), and then no reconnect would refresh the watch; left so, it would have no
        // timer, and its streams would hear nothing more. (After a reconnect every watch is read anyway.)
        if (this.#watches.get(id) !== watch) return;
        watch.cancelTimer?.();
        watch.cancelTimer = this.#timers.after(REREAD_AFTER_FAILURE_MS, () => {
          watch.cancelTimer = undefined;
          this.refresh(id);
        });
      },
    );
  }

  /** Refreshes every watched job (after a reconnect: announcements may have been missed). */
  refreshAll(): void {
    for (const id of this.#watches.keys()) this.refresh(id);
  }

  clear(): void {
    for (const watch of this.#watches.values()) watch.cancelTimer?.();
    this.#watches.clear();
  }

  #landed(id: string, watch: Watch, observation: Observation | undefined): void {
    watch.reading = false;
    if (this.#watches.get(id) !== watch) return; // every listener left during the read
    watch.cancelTimer?.();
    watch.cancelTimer = undefined;
    if (observation !== undefined) {
      const { job, nextChangeInMs } = observation;
      if (nextChangeInMs !== undefined) {
        watch.cancelTimer = this.#timers.after(Math.max(0, nextChangeInMs) + LATE_BY_MS, () => {
          watch.cancelTimer = undefined;
          this.refresh(id);
        });
      }
      if (job.version !== watch.version) {
        watch.version = job.version;
        // Copy: a listener may unsubscribe (or subscribe others) while being told.
        for (const listener of [...watch.listeners]) listener(job);
      }
    }
    if (watch.again) {
      watch.again = false;
      this.refresh(id);
    }
  }
}
