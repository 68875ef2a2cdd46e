/** `translation-status status`: read a job's status once. */
import { CONNECTION_HELP, parseStatusArgs } from './args.js';
import type { Command } from './command.js';
import { formatDuration } from './duration.js';
import { exitCodeFor } from './exit-codes.js';
import { EXIT_OK } from './io.js';
import { clientFor, describeError } from './runtime.js';

export const STATUS_HELP = `Usage: translation-status status [job-id] [options]

Prints a job's status once. Without a job id, the server's default job (GET /status).

Options:
${CONNECTION_HELP}

Exit codes: 0 the status was read (whatever it says), 2 usage error, 4 the server answered with an
error or could not be reached (e.g. 404 for an unknown job).
`;

export const statusCommand: Command = {
  summary: "print a job's status once (no id: the default job)",
  async run(args, io) {
    const parsed = parseStatusArgs(args, io.env);
    if (parsed === 'help') {
      io.stdout.write(STATUS_HELP);
      return EXIT_OK;
    }
    const client = clientFor(parsed, io);
    try {
      const status = await client.getStatus(parsed.jobId);
      if (parsed.json) {
        io.stdout.write(`${JSON.stringify(status.body)}\n`);
      } else {
        const parts = [
          status.jobId ?? parsed.jobId ?? '(default job)',
          status.result,
          status.stage,
          status.progress === undefined ? undefined : `${Math.floor(status.progress * 100)}%`,
          status.etaMs === undefined ? undefined : `eta ${formatDuration(status.etaMs)}`,
          status.error === undefined ? undefined : `${status.error.code}: ${status.error.message}`,
        ];
        io.stdout.write(`${parts.filter((part) => part !== undefined).join('  ')}\n`);
      }
      return EXIT_OK;
    } catch (error) {
      io.stderr.write(`translation-status status: ${describeError(error)}\n`);
      return exitCodeFor(error);
    }
  },
};
