/**
 * Exit codes: one table, read by every command, the main help screen and the README check. Whatever
 * ended a command maps to its code by the error's stable `code`, so every command reports the same
 * outcome the same way.
 */

export const EXIT = {
  /** Success: for `wait`, the job completed. */
  ok: 0,
  /** The job ended in error. */
  jobFailed: 1,
  /** Bad usage: unknown command or flag, bad value. */
  usage: 2,
  /** The wait's --timeout passed while the job was still pending (its status was read). */
  timeout: 3,
  /** The server could not be reached or did not answer in the protocol, refused, or retries ran out. */
  error: 4,
  /** Ctrl-C (SIGINT), as shells report 128 + 2. */
  interrupted: 130,
  /** SIGTERM, as shells report 128 + 15. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The general meaning of each code, for the main help screen and the README. */
export const EXIT_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: 'success (wait: the job completed)',
  1: 'the job failed',
  2: 'usage error: unknown command or flag, bad value',
  3: 'timed out: --timeout passed while the job was still pending',
  4: 'connection or protocol failure, or the server refused (unreachable, not a translation-status server, 4xx/5xx)',
  130: 'interrupted by Ctrl-C (SIGINT)',
  143: 'terminated by SIGTERM',
};

const CODES: Readonly<Record<string, ExitCode>> = {
  job_failed: EXIT.jobFailed,
  usage: EXIT.usage,
  invalid_option: EXIT.usage,
  wait_timeout: EXIT.timeout,
  interrupted: EXIT.interrupted,
  terminated: EXIT.terminated,
  unreachable: EXIT.error,
};

/** `undefined` (no error) is success; an error without a known `code` is "other error" (4). */
export function exitCodeFor(error: unknown): ExitCode {
  if (error === undefined) return EXIT.ok;
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  return (code === undefined ? undefined : CODES[code]) ?? EXIT.error;
}
