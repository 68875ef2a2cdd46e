/** `translation-status wait`: wait for a job to end, showing its progress. */
import { JobFailedError } from '@translation-status/client';
import { CONNECTION_HELP, parseWaitArgs } from './args.js';
import { boardMode, ProgressBoard } from './board.js';
import type { Command } from './command.js';
import { formatDuration } from './duration.js';
import { exitCodeFor } from './exit-codes.js';
import { EXIT_OK, useColor } from './io.js';
import { abortOnInterrupt, clientFor, describeError } from './runtime.js';

export const WAIT_HELP = `Usage: translation-status wait [job-id] [options]

Waits until the job completes or fails. Without a job id, the server's default job (GET /status).
On a terminal it shows a progress bar; with --json or when piped, one JSON object per line.

Options:
  --timeout DURATION     give up after this long: 90s, 10m, 1h or milliseconds (default 4h)
  --transport MODE       auto (default), sse, long-poll or poll
${CONNECTION_HELP}

Exit codes: 0 completed, 1 the job failed, 2 usage error, 3 timed out, 4 other error (the server
refused, the network failed, retries ran out), 130 interrupted (Ctrl-C).
`;

export const waitCommand: Command = {
  summary: 'wait for a job to end, with a progress bar (no id: the default job)',
  async run(args, io) {
    const parsed = parseWaitArgs(args, io.env);
    if (parsed === 'help') {
      io.stdout.write(WAIT_HELP);
      return EXIT_OK;
    }
    const client = clientFor(parsed, io, { transport: parsed.transport, timeoutMs: parsed.timeoutMs });
    const label = parsed.jobId ?? 'default job';
    const mode = boardMode(io, parsed.json);
    const controller = new AbortController();
    const stopListening = abortOnInterrupt(controller);
    const board = new ProgressBoard([label], { out: io.stdout, mode, color: useColor(io) });
    try {
      const { status, stats } = await client.waitForCompletion(parsed.jobId, {
        signal: controller.signal,
        onStatus: (s, info) => {
          board.status(label, s, info.transport);
        },
        onRetry: (info) => {
          board.retry(label, info);
        },
      });
      board.finish();
      const summary = `completed in ${formatDuration(stats.elapsedMs)} with ${stats.requests} requests (${stats.retries} retries) via ${stats.transport}`;
      if (mode === 'json') {
        board.json({
          event: 'completed',
          job_id: status.jobId,
          requests: stats.requests,
          retries: stats.retries,
          transport: stats.transport,
        });
      } else io.stdout.write(`${status.jobId ?? label} ${summary}\n`);
      return EXIT_OK;
    } catch (error) {
      board.finish();
      const code = exitCodeFor(error);
      if (mode === 'json') {
        const failed = error instanceof JobFailedError;
        board.json({
          event: failed ? 'failed' : 'error',
          exit_code: code,
          code: (error as { code?: unknown }).code,
          message: describeError(error),
          ...(failed
            ? {
                job_id: error.status.jobId,
                error: { code: error.jobErrorCode, message: error.jobErrorMessage },
              }
            : {}),
        });
      }
      io.stderr.write(`translation-status wait: ${describeError(error)}\n`);
      return code;
    } finally {
      stopListening();
    }
  },
};
