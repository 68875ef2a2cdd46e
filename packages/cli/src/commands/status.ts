/** `translation-status status`: read a job's status once. */
import { WaitTimeoutError } from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { durationFlag } from '../args/flags.js';
import { defineCommand } from '../command.js';
import { eventLine } from '../output/events.js';
import { retryEvent, retrySentence } from '../output/retry.js';
import { UnreachableError } from '../runtime/cli-errors.js';
import { clientFor, stderrNotice } from '../runtime/client.js';
import { EXIT } from '../runtime/exit-codes.js';
import { CONNECTION_FLAGS, connectionOf, JOB_ID, type Connection } from './shared-flags.js';

/** A single read should not hang for minutes of retries; `wait` is for waiting. */
export const STATUS_TIMEOUT_MS = 30_000;

export interface StatusArgs extends Connection {
  /** Undefined: the server's default job at GET /status. */
  readonly jobId: string | undefined;
  readonly timeoutMs: number;
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: "print a job's status once (no id: the default job)",
  description: `Prints a job's status once. Failed requests are retried until --timeout, each retry announced
on stderr with the reason.`,
  positionals: [JOB_ID],
  flags: {
    timeout: durationFlag({
      metavar: 'DURATION',
      help: 'give up retrying after this long',
      default: STATUS_TIMEOUT_MS,
      defaultText: formatDuration(STATUS_TIMEOUT_MS),
    }),
    ...CONNECTION_FLAGS,
  },
  exits: {
    [EXIT.ok]: 'the status was read (whatever it says)',
    [EXIT.usage]: 'usage error',
    [EXIT.error]:
      'the server could not be reached before --timeout, did not answer in the protocol, or refused (e.g. 404 for an unknown job)',
  },
  build: ({ values, positionals }): StatusArgs => ({
    ...connectionOf(values),
    jobId: positionals[0],
    timeoutMs: values.timeout,
  }),
  async run(parsed, io) {
    const startedAt = Date.now();
    const notice = stderrNotice(io, 'status');
    const client = clientFor(parsed, notice);
    const seen: { lastFailure: unknown } = { lastFailure: undefined };
    let status;
    try {
      status = await client.getStatus(parsed.jobId, {
        timeoutMs: parsed.timeoutMs,
        onRetry: (info) => {
          seen.lastFailure = info.error;
          if (parsed.json) io.stdout.write(eventLine(retryEvent(info), parsed.jobId, Date.now() - startedAt));
          notice(retrySentence(info));
        },
      });
    } catch (error) {
      // For one read, running out of time always means the status was never read.
      if (error instanceof WaitTimeoutError) {
        throw new UnreachableError(error.timeoutMs, error.attempts, seen.lastFailure);
      }
      throw error;
    }
    if (parsed.json) {
      io.stdout.write(
        eventLine(
          {
            event: 'status',
            result: status.result,
            stage: status.stage,
            progress: status.progress,
            eta_ms: status.etaMs,
            error: status.error,
          },
          status.jobId ?? parsed.jobId,
          Date.now() - startedAt,
        ),
      );
      return EXIT.ok;
    }
    const parts = [
      status.jobId ?? parsed.jobId ?? '(default job)',
      status.result,
      status.stage,
      status.progress === undefined ? undefined : `${Math.floor(status.progress * 100)}%`,
      status.etaMs === undefined ? undefined : `eta ${formatDuration(status.etaMs)}`,
      status.error === undefined ? undefined : `${status.error.code}: ${status.error.message}`,
      // HeyGen's translated video, once completed.
      status.videoUrl,
    ];
    io.stdout.write(`${parts.filter((part) => part !== undefined).join('  ')}\n`);
    return EXIT.ok;
  },
});
