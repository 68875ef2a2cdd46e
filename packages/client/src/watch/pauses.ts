/**
 * The waiting a watch does that may be cut short: the sleep between requests by a re-plan (a wait
 * joining or leaving), a hold that waits for the ending only by a wait that follows the stages joining,
 * and a shared stream's hold by its hedge.
 */
import type { Clock } from '../common/clock.js';
import { linkSignals, type LinkedSignal } from '../common/signals.js';

/** What a re-plan or a hedge can cut short: a held request, or a wait's time on a channel. */
export interface Cuttable {
  cut(): void;
}

/** The reason of whatever a watch cuts short itself (a sleep, a hold, a hedged stream): never shown. */
export const CUT = new DOMException('cut short by the watch', 'AbortError');

/** A class, not closures: one of these lives as long as each watch. */
export class Pauses {
  #sleeping: LinkedSignal | undefined;
  #cut: Cuttable | undefined;
  #onStages = false;

  constructor(readonly clock: Clock) {}

  /** Sleeps `ms` on the clock; false when cut short by `replan()`. Rejects when `signal` aborts. */
  async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    const sleeping = (this.#sleeping = linkSignals(signal));
    try {
      await this.clock.sleep(ms, sleeping.signal);
      return true;
    } catch (error) {
      if (signal.aborted) throw error;
      return false;
    } finally {
      sleeping.dispose();
      if (this.#sleeping === sleeping) this.#sleeping = undefined;
    }
  }

  /**
   * A hold (a held request, a wait on a channel) registers itself: `cutHold()` cuts it (a hedge saw
   * more), and so does a re-plan when stages matter if `onStages` (a hold that waits for the ending
   * only); undefined clears it.
   */
  onCut(hold: Cuttable | undefined, onStages = true): void {
    this.#cut = hold;
    this.#onStages = onStages;
  }

  /** Cuts short the hold registered with `onCut`, if any. */
  cutHold(): void {
    const hold = this.#cut;
    this.#cut = undefined;
    hold?.cut();
  }

  /** The earliest deadline may have moved, or a wait that follows the stages joined. */
  replan(followsStages: boolean): void {
    this.#sleeping?.abort(CUT);
    // A wait that follows the stages joined while a hold waits for the ending: it needs the state now.
    if (followsStages && this.#onStages) this.cutHold();
  }
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
