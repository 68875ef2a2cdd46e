/** `translation-status wait`: wait for a job to end, showing its progress. */
import { DEFAULTS, WaitTimeoutError, type TransportMode } from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { durationFlag } from '../args/flags.js';
import { defineCommand } from '../command.js';
import { boardMode, ProgressBoard } from '../output/board.js';
import { useColor } from '../output/io.js';
import { plural } from '../output/plural.js';
import { UnreachableError } from '../runtime/cli-errors.js';
import { abortOnSignals, clientFor } from '../runtime/client.js';
import { EXIT } from '../runtime/exit-codes.js';
import { CONNECTION_FLAGS, connectionOf, JOB_ID, TRANSPORT_FLAG, type Connection } from './shared-flags.js';

export interface WaitArgs extends Connection {
  readonly jobId: string | undefined;
  readonly timeoutMs: number | undefined;
  readonly transport: TransportMode;
}

export const waitCommand = defineCommand({
  name: 'wait',
  summary: 'wait for a job to end, with a progress bar (no id: the default job)',
  description: `Waits until the job completes or fails. On a terminal it shows a progress bar redrawn in
place; when stdout is not a terminal (or TERM=dumb), one plain line per change; with --json, one JSON
event per line. Retries are announced on stderr, with the reason.`,
  positionals: [JOB_ID],
  flags: {
    timeout: durationFlag({
      metavar: 'DURATION',
      help: 'give up after this long',
      defaultText: formatDuration(DEFAULTS.timeoutMs),
    }),
    ...TRANSPORT_FLAG,
    ...CONNECTION_FLAGS,
  },
  exits: {
    [EXIT.ok]: 'the job completed',
    [EXIT.jobFailed]: 'the job failed',
    [EXIT.usage]: 'usage error',
    [EXIT.timeout]: '--timeout passed while the job was still pending',
    [EXIT.error]: 'the server could not be reached, did not answer in the protocol, or refused',
    [EXIT.interrupted]: 'interrupted by Ctrl-C (SIGINT); no request is left open',
    [EXIT.terminated]: 'terminated by SIGTERM; no request is left open',
  },
  build: ({ values, positionals }): WaitArgs => ({
    ...connectionOf(values),
    jobId: positionals[0],
    timeoutMs: values.timeout,
    transport: values.transport,
  }),
  async run(parsed, io) {
    const mode = boardMode(io, parsed.json);
    const board = new ProgressBoard([{ label: parsed.jobId ?? 'default job', jobId: parsed.jobId }], {
      io,
      mode,
      color: useColor(io),
      name: 'translation-status wait',
    });
    const client = clientFor(
      parsed,
      (text) => {
        board.notice(text);
      },
      {
        transport: parsed.transport,
        timeoutMs: parsed.timeoutMs,
      },
    );
    const controller = new AbortController();
    const stopListening = abortOnSignals(controller);
    // Set by the callbacks: whether any status was read, and the last failure retried.
    const seen: { status: boolean; lastFailure: unknown } = { status: false, lastFailure: undefined };
    try {
      const { status, stats } = await client.waitForCompletion(parsed.jobId, {
        signal: controller.signal,
        onStatus: (s, info) => {
          seen.status = true;
          board.status(s, info.transport);
        },
        onRetry: (info) => {
          seen.lastFailure = info.error;
          board.retry(info);
        },
      });
      board.finish();
      if (mode === 'json') {
        board.event(
          {
            event: 'completed',
            requests: stats.requests,
            retries: stats.retries,
            transport: stats.transport,
          },
          board.row(status.jobId),
        );
      } else {
        io.stdout.write(
          `${status.jobId ?? 'default job'} completed in ${formatDuration(stats.elapsedMs)} with ${plural(stats.requests, 'request')} (${plural(stats.retries, 'retry', 'retries')}) via ${stats.transport}\n`,
        );
      }
      return EXIT.ok;
    } catch (error) {
      // Out of time without one status read: the job may not even exist; that is no "still pending".
      if (error instanceof WaitTimeoutError && !seen.status) {
        throw new UnreachableError(error.timeoutMs, error.attempts, seen.lastFailure);
      }
      throw error;
    } finally {
      board.finish();
      stopListening();
    }
  },
});
