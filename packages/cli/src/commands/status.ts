/** `translation-status status`: read a job's status once. */
import { formatDuration } from '../args/duration.js';
import { defineCommand } from '../command.js';
import { clientFor } from '../runtime/client.js';
import { EXIT } from '../runtime/exit-codes.js';
import { CONNECTION_FLAGS, connectionOf, JOB_ID, type Connection } from './shared-flags.js';

export interface StatusArgs extends Connection {
  /** Undefined: the server's default job at GET /status. */
  readonly jobId: string | undefined;
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: "print a job's status once (no id: the default job)",
  description: "Prints a job's status once.",
  positionals: [JOB_ID],
  flags: { ...CONNECTION_FLAGS },
  exits: {
    [EXIT.ok]: 'the status was read (whatever it says)',
    [EXIT.usage]: 'usage error',
    [EXIT.error]:
      'the server could not be reached, did not answer in the protocol, or refused (e.g. 404 for an unknown job)',
  },
  build: ({ values, positionals }): StatusArgs => ({ ...connectionOf(values), jobId: positionals[0] }),
  async run(parsed, io) {
    const status = await clientFor(parsed, io).getStatus(parsed.jobId);
    if (parsed.json) {
      io.stdout.write(`${JSON.stringify(status.body)}\n`);
      return EXIT.ok;
    }
    const parts = [
      status.jobId ?? parsed.jobId ?? '(default job)',
      status.result,
      status.stage,
      status.progress === undefined ? undefined : `${Math.floor(status.progress * 100)}%`,
      status.etaMs === undefined ? undefined : `eta ${formatDuration(status.etaMs)}`,
      status.error === undefined ? undefined : `${status.error.code}: ${status.error.message}`,
    ];
    io.stdout.write(`${parts.filter((part) => part !== undefined).join('  ')}\n`);
    return EXIT.ok;
  },
});
