/**
 * How a command's failure reaches the user: one sentence on stderr, and with --json the same as an
 * `error` (or `failed`) event on stdout, for every command.
 */
import { HttpError, JobFailedError, TranslationStatusError } from '@translation-status/client';
import { UsageError } from '../args/usage-error.js';
import type { CliIo } from '../output/io.js';
import { describeError } from './describe-error.js';
import { exitCodeFor, type ExitCode } from './exit-codes.js';

/** The JSON event for a failure: `failed` when the job itself failed, `error` otherwise. */
export function errorEvent(error: unknown, exitCode: ExitCode): Record<string, unknown> {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'error';
  const base = {
    event: error instanceof JobFailedError ? 'failed' : 'error',
    job_id: error instanceof TranslationStatusError ? (error.jobId ?? null) : null,
    exit_code: exitCode,
    code,
    message: describeError(error),
    http_status: httpStatusOf(error) ?? null,
  };
  if (error instanceof JobFailedError) {
    return { ...base, error: { code: error.jobErrorCode, message: error.jobErrorMessage } };
  }
  return base;
}

/** Writes the failure (stderr, and stdout as JSON when asked) and returns the exit code. */
export function reportError(command: string, error: unknown, io: CliIo, json: boolean): ExitCode {
  const exitCode = exitCodeFor(error);
  if (json) io.stdout.write(`${JSON.stringify(errorEvent(error, exitCode))}\n`);
  const hint =
    error instanceof UsageError
      ? `\nRun 'translation-status${command === '' ? '' : ` ${command}`} --help' for usage.`
      : '';
  io.stderr.write(
    `translation-status${command === '' ? '' : ` ${command}`}: ${describeError(error)}${hint}\n`,
  );
  return exitCode;
}

/** The HTTP status behind a failure, looking through `cause` (retries exhausted after a 502). */
export function httpStatusOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof HttpError) return current.status;
    current = current.cause;
  }
  return undefined;
}
