/** `translation-status wait`: wait for a job to end, showing its progress. */
import {
  ConfigurationError,
  DEFAULTS,
  JobFailedError,
  WaitTimeoutError,
  type TransportMode,
} from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { durationFlag, textFlag } from '../args/flags.js';
import { UsageError } from '../args/usage-error.js';
import { defineCommand } from '../command.js';
import { boardMode, ProgressBoard } from '../output/board.js';
import { useColor } from '../output/io.js';
import { plural } from '../output/plural.js';
import { readCheckpointFile, removeCheckpointFile, saveCheckpointFile } from '../runtime/checkpoint-file.js';
import { StoppedError, UnreachableError } from '../runtime/cli-errors.js';
import { abortOnSignals, clientFor } from '../runtime/client.js';
import { EXIT } from '../runtime/exit-codes.js';
import { CONNECTION_FLAGS, connectionOf, JOB_ID, TRANSPORT_FLAG, type Connection } from './shared-flags.js';

export interface WaitArgs extends Connection {
  readonly jobId: string | undefined;
  readonly timeoutMs: number | undefined;
  readonly transport: TransportMode;
  /** Where the wait is saved when a run stops early, and resumed from when present. */
  readonly checkpointFile: string | undefined;
  /** How long this run waits before it saves the wait and stops (the wait's deadline stays). */
  readonly maxTimeMs: number | undefined;
}

export const waitCommand = defineCommand({
  name: 'wait',
  summary: 'wait for a job to end, with a progress bar (no id: the default job)',
  description: `Waits until the job completes or fails. On a terminal it shows a progress bar redrawn in
place; when stdout is not a terminal (or TERM=dumb), one plain line per change; with --json, one JSON
event per line. Retries are announced on stderr, with the reason. With --checkpoint-file, a run that
is interrupted (Ctrl-C, SIGTERM) or reaches --max-time saves the wait in that file, and the next run
goes on from it: the same deadline (unless --timeout is given), its first request held or streamed
from the last version seen. The file is removed once the job has ended.`,
  positionals: [JOB_ID],
  flags: {
    timeout: durationFlag({
      metavar: 'DURATION',
      help: 'give up after this long',
      defaultText: formatDuration(DEFAULTS.timeoutMs),
    }),
    'checkpoint-file': textFlag({
      metavar: 'FILE',
      help: 'save the wait here when stopped early; go on from it when present',
    }),
    'max-time': durationFlag({
      metavar: 'DURATION',
      help: 'stop this run after this long and save the wait (needs --checkpoint-file)',
    }),
    ...TRANSPORT_FLAG,
    ...CONNECTION_FLAGS,
  },
  exits: {
    [EXIT.ok]: 'the job completed',
    [EXIT.jobFailed]: 'the job failed',
    [EXIT.usage]: 'usage error',
    [EXIT.timeout]: '--timeout passed while the job was still pending, or --max-time (the wait saved)',
    [EXIT.error]: 'the server could not be reached, did not answer in the protocol, or refused',
    [EXIT.interrupted]: 'interrupted by Ctrl-C (SIGINT); no request is left open',
    [EXIT.terminated]: 'terminated by SIGTERM; no request is left open',
  },
  build: ({ values, positionals }): WaitArgs => {
    const checkpointFile = values['checkpoint-file'];
    if (values['max-time'] !== undefined && checkpointFile === undefined) {
      throw new UsageError('--max-time needs --checkpoint-file (without it, use --timeout)');
    }
    if (checkpointFile !== undefined && positionals[0] === undefined) {
      throw new UsageError('--checkpoint-file needs a job id');
    }
    return {
      ...connectionOf(values),
      jobId: positionals[0],
      timeoutMs: values.timeout,
      transport: values.transport,
      checkpointFile,
      maxTimeMs: values['max-time'],
    };
  },
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
    const file = parsed.checkpointFile;
    const resumeFrom = file === undefined ? undefined : await readCheckpointFile(file);
    const controller = new AbortController();
    const stopListening = abortOnSignals(controller);
    const maxTimeMs = parsed.maxTimeMs;
    const stopAt =
      maxTimeMs === undefined || file === undefined
        ? undefined
        : setTimeout(() => {
            controller.abort(new StoppedError(formatDuration(maxTimeMs), file));
          }, maxTimeMs);
    // Set by the callbacks: whether any status was read, and the last failure retried.
    const seen: { status: boolean; lastFailure: unknown } = { status: false, lastFailure: undefined };
    try {
      const { status, stats } = await client.waitForCompletion(parsed.jobId, {
        signal: controller.signal,
        resumeFrom,
        // Given on a resumed run, --timeout replaces the saved deadline.
        timeoutMs: parsed.timeoutMs,
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
      if (file !== undefined) await removeCheckpointFile(file);
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
          `${status.jobId ?? 'default job'} completed in ${formatDuration(stats.elapsedMs)} with ${plural(stats.requests, 'request')} (${plural(stats.retries, 'retry', 'retries')}) via ${stats.transport}${status.videoUrl === undefined ? '' : `: ${status.videoUrl}`}\n`,
        );
      }
      return EXIT.ok;
    } catch (error) {
      if (file !== undefined) {
        const save = (): string => client.checkpoint(parsed.jobId ?? '');
        await keepOrDrop(file, error, controller.signal, save, (text) => {
          board.notice(text);
        });
      }
      if (
        error instanceof ConfigurationError &&
        error.issues.some((issue) => issue.option === 'resumeFrom')
      ) {
        throw new UsageError(
          `${file ?? 'the checkpoint file'} holds no checkpoint of this job on this server: delete it to start afresh (${error.message})`,
          { cause: error },
        );
      }
      // Out of time without one status read: the job may not even exist; that is no "still pending".
      if (error instanceof WaitTimeoutError && !seen.status) {
        throw new UnreachableError(error.timeoutMs, error.attempts, seen.lastFailure);
      }
      throw error;
    } finally {
      clearTimeout(stopAt);
      board.finish();
      stopListening();
    }
  },
});

/**
 * After a wait that did not complete: stopped early (a signal, --max-time), it is saved to go on next
 * time; ended with the job (failed, or out of its own time), nothing is left to resume.
 */
async function keepOrDrop(
  file: string,
  error: unknown,
  stopped: AbortSignal,
  checkpoint: () => string,
  notice: (text: string) => void,
): Promise<void> {
  if (stopped.aborted) {
    let saved: string;
    try {
      saved = checkpoint();
    } catch {
      return; // stopped before the wait began: the file stays as it was
    }
    await saveCheckpointFile(file, saved);
    if (!(error instanceof StoppedError))
      notice(`the wait is saved in ${file}: run the same command to go on`);
  } else if (error instanceof JobFailedError || error instanceof WaitTimeoutError) {
    await removeCheckpointFile(file);
  }
}
