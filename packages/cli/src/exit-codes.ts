/**
 * Maps whatever ended a command to its exit code, by the error's stable `code`, so every command
 * reports the same outcome the same way.
 */
import { EXIT_ERROR, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_TIMEOUT, EXIT_USAGE } from './io.js';

/** The reason a command aborts its wait with when the user presses Ctrl-C. */
export class InterruptedError extends Error {
  readonly code = 'interrupted';

  constructor(signal: string) {
    super(`interrupted by ${signal}`);
    this.name = 'InterruptedError';
  }
}

const CODES: Readonly<Record<string, number>> = {
  job_failed: EXIT_FAILURE,
  usage: EXIT_USAGE,
  invalid_option: EXIT_USAGE,
  wait_timeout: EXIT_TIMEOUT,
  interrupted: EXIT_INTERRUPTED,
};

/** `undefined` (no error) is success; an error without a known `code` is "other error" (4). */
export function exitCodeFor(error: unknown): number {
  if (error === undefined) return EXIT_OK;
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  return (code === undefined ? undefined : CODES[code]) ?? EXIT_ERROR;
}
