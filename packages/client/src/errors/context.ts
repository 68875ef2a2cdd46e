/** The facts every error of this library can carry, and the one place that turns them into prose. */
export interface ErrorContext {
  /** The job being waited for, when known. */
  readonly jobId?: string | undefined;
  /** Milliseconds from the start of the wait (or call) to the failure. */
  readonly elapsedMs?: number | undefined;
  /** HTTP requests made by the wait so far. */
  readonly attempts?: number | undefined;
  /** The underlying failure. */
  readonly cause?: unknown;
}

/**
 * "<what happened> (job j, after 12.3 s and 4 requests). <what to do>" — every part optional, so the
 * message never says "undefined".
 */
export function formatErrorMessage(
  what: string,
  context: Pick<ErrorContext, 'jobId' | 'elapsedMs' | 'attempts'>,
  advice?: string,
): string {
  const facts: string[] = [];
  if (context.jobId !== undefined) facts.push(`job '${context.jobId}'`);
  const after: string[] = [];
  if (context.elapsedMs !== undefined && Number.isFinite(context.elapsedMs)) {
    after.push(formatDuration(context.elapsedMs));
  }
  if (context.attempts !== undefined) {
    after.push(`${context.attempts} request${context.attempts === 1 ? '' : 's'}`);
  }
  if (after.length > 0) facts.push(`after ${after.join(' and ')}`);
  const withFacts = facts.length > 0 ? `${what} (${facts.join(', ')})` : what;
  return advice === undefined ? `${withFacts}.` : `${withFacts}. ${advice}`;
}

/** 950 ms, 12.3 s, 4 min 5 s, 2 h 3 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
  const totalMin = Math.round(totalS / 60);
  return `${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
}
