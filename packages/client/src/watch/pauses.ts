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
  /** The earliest deadline may have moved, or a wait that follows the stages joined. */
  replan(followsStages: boolean): void;
}

export function createPauses(clock: Clock): Pauses {
  let sleeping: AbortController | undefined;
  let holding: AbortController | undefined;
  return {
    async pause(ms, signal) {
      const interrupt = new AbortController();
      sleeping = interrupt;
      const linked = linkSignals(signal, interrupt.signal);
      try {
        await clock.sleep(ms, linked.signal);
        return true;
      } catch (error) {
        if (signal.aborted) throw error;
        return false;
      } finally {
        linked.dispose();
        if (sleeping === interrupt) sleeping = undefined;
      }
    },
    resultHold(signal) {
      const cut = new AbortController();
      holding = cut;
      const linked = linkSignals(signal, cut.signal);
      return {
        signal: linked.signal,
        abort: (reason) => {
          linked.abort(reason);
        },
        cut: () => cut.signal.aborted,
        dispose: () => {
          linked.dispose();
          if (holding === cut) holding = undefined;
        },
      };
    },
    replan(followsStages) {
      sleeping?.abort();
      // A wait that follows the stages joined while a hold waits for the ending: it needs the state now.
      if (followsStages) holding?.abort();
    },
  };
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
