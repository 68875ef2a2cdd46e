/** `translation-status wait`: wait for a job to end, showing its progress. */
import { DEFAULTS, type TransportMode } from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { durationFlag } from '../args/flags.js';
import { defineCommand } from '../command.js';
import { boardMode, ProgressBoard } from '../output/board.js';
import { useColor } from '../output/io.js';
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
place; when stdout is not a terminal, one plain line per change; with --json, one JSON object per line.`,
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
    const client = clientFor(parsed, io, { transport: parsed.transport, timeoutMs: parsed.timeoutMs });
    const label = parsed.jobId ?? 'default job';
    const mode = boardMode(io, parsed.json);
    const controller = new AbortController();
    const stopListening = abortOnSignals(controller);
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
      if (mode === 'json') {
        board.json({
          event: 'completed',
          job_id: status.jobId,
          requests: stats.requests,
          retries: stats.retries,
          transport: stats.transport,
        });
      } else {
        io.stdout.write(
          `${status.jobId ?? label} completed in ${formatDuration(stats.elapsedMs)} with ${stats.requests} requests (${stats.retries} retries) via ${stats.transport}\n`,
        );
      }
      return EXIT.ok;
    } finally {
      board.finish();
      stopListening();
    }
  },
});
