/**
 * When a wait that a webhook ends reads the status itself, in case the webhook is lost. Pure.
 *
 * One read a little after the job's ETA (a job rarely overruns its estimate by a quarter), then one
 * every `safetyNetMs`: a delivered webhook costs no request at all, a lost one some lateness.
 */

/** The first safety-net read comes at this multiple of the ETA the job had when its status was known. */
export const ETA_SAFETY_FACTOR = 1.25;

export interface SafetyNetInput {
  readonly now: number;
  /** Safety-net reads this watch has made. */
  readonly reads: number;
  /** When the ETA below was read (the job's creation, or the last status). */
  readonly knownAt: number | undefined;
  readonly etaMs: number | undefined;
  readonly safetyNetMs: number;
}

/** Milliseconds from now to the next safety-net read. */
export function safetyNetDelayMs(input: SafetyNetInput): number {
  const { knownAt, etaMs } = input;
  if (input.reads > 0 || knownAt === undefined || etaMs === undefined) return input.safetyNetMs;
  return Math.max(0, knownAt + ETA_SAFETY_FACTOR * etaMs - input.now);
}
