/**
 * A wait that a webhook ends: it listens for the job's events and meanwhile reads the status itself only
 * as the safety net plans (one read near the ETA, then rarely), so a lost webhook costs some lateness,
 * never a hung wait.
 */
import { linkSignals } from '../common/signals.js';
import { safetyNetDelayMs } from './safety-net.js';
import type { WebhookEvent } from './verify.js';
import type { WebhookWait } from './waiter.js';

export type Subscribe = (jobId: string, listener: (event: WebhookEvent) => void) => () => void;

export async function endWaitByWebhook(
  subscribe: Subscribe,
  wait: WebhookWait,
  safetyNetMs: number,
  signal: AbortSignal,
): Promise<void> {
  const ended = new AbortController();
  // Subscribed for the whole wait, safety-net reads included; a job's newest event is replayed at
  // once, so one that arrived before the wait began counts.
  const unsubscribe = subscribe(wait.jobId, (event) => {
    if (wait.accept(event.job).result !== 'pending') ended.abort();
  });
  const linked = linkSignals(signal, ended.signal);
  try {
    for (let reads = 0; !ended.signal.aborted; reads++) {
      const known = wait.known();
      const delayMs = safetyNetDelayMs({
        now: wait.clock.now(),
        reads,
        knownAt: known?.at,
        etaMs: known?.status.etaMs,
        safetyNetMs,
      });
      try {
        await wait.clock.sleep(delayMs, linked.signal);
      } catch (error) {
        if (signal.aborted) throw error;
        return; // a webhook ended the job
      }
      if ((await wait.read()).result !== 'pending') return;
    }
  } finally {
    linked.dispose();
    unsubscribe();
  }
}
