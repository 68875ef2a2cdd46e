/**
 * The waiting a watch does that a re-plan (a wait joining or leaving) may cut short: the sleep between
 * requests, and a hold that waits for the ending only while a wait that follows the stages joins.
 */
import type { Clock } from '../common/clock.js';
import { linkSignals, type LinkedSignal } from '../common/signals.js';

export interface Pauses {
  /** Sleeps `ms` on the clock; false when cut short by `replan()`. Rejects when `signal` aborts. */
  pause(ms: number, signal: AbortSignal): Promise<boolean>;
  /** A signal for a hold that waits for the ending only: `replan()` cuts it when stages matter. */
  resultHold(signal: AbortSignal): LinkedSignal & { readonly cut: () => boolean };
  /** The same for a hold of another kind (a shared stream): `cut` is called then; undefined clears it. */
  onCut(cut: (() => void) | undefined): void;
  /** The earliest deadline may have moved, or a wait that follows the stages joined. */
  replan(followsStages: boolean): void;
}

/** A class, not closures: one of these lives as long as each watch. */
class WatchPauses implements Pauses {
  private sleeping: AbortController | undefined;
  private holding: AbortController | undefined;
  private cut: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    const interrupt = new AbortController();
    this.sleeping = interrupt;
    const linked = linkSignals(signal, interrupt.signal);
    try {
      await this.clock.sleep(ms, linked.signal);
      return true;
    } catch (error) {
      if (signal.aborted) throw error;
      return false;
    } finally {
      linked.dispose();
      if (this.sleeping === interrupt) this.sleeping = undefined;
    }
  }

  resultHold(signal: AbortSignal): LinkedSignal & { readonly cut: () => boolean } {
    const cut = new AbortController();
    this.holding = cut;
    const linked = linkSignals(signal, cut.signal);
    return {
      signal: linked.signal,
      abort: (reason) => {
        linked.abort(reason);
      },
      cut: () => cut.signal.aborted,
      dispose: () => {
        linked.dispose();
        if (this.holding === cut) this.holding = undefined;
      },
    };
  }

  onCut(cut: (() => void) | undefined): void {
    this.cut = cut;
  }

  replan(followsStages: boolean): void {
    this.sleeping?.abort();
    // A wait that follows the stages joined while a hold waits for the ending: it needs the state now.
    if (followsStages) {
      this.holding?.abort();
      const cut = this.cut;
      this.cut = undefined;
      cut?.();
    }
  }
}

export function createPauses(clock: Clock): Pauses {
  return new WatchPauses(clock);
}

/**
 * A re-plan may bring the next request forward, never push it back: otherwise waits joining every few
 * seconds would keep postponing it. Returns the delay to sleep and when it ends.
 */
export function notLaterThanPlanned(
  plannedAt: number | undefined,
  now: number,
  delayMs: number,
): { readonly delayMs: number; readonly plannedAt: number } {
  const kept = plannedAt !== undefined && plannedAt > now ? Math.min(delayMs, plannedAt - now) : delayMs;
  return { delayMs: kept, plannedAt: now + kept };
}
