/** `translation-status cancel`: cancel a pending job (DELETE /jobs/:id). */
import { defineCommand } from '../command.js';
import { eventLine } from '../output/events.js';
import { clientFor, stderrNotice } from '../runtime/client.js';
import { EXIT } from '../runtime/exit-codes.js';
import { CONNECTION_FLAGS, connectionOf, JOB_ID, type Connection } from './shared-flags.js';

export interface CancelArgs extends Connection {
  readonly jobId: string;
}

export const cancelCommand = defineCommand({
  name: 'cancel',
  summary: 'cancel a pending job',
  description:
    'Cancels a pending job: it ends in error with code canceled, and every wait on it ends. Canceling a canceled job again succeeds.',
  positionals: [{ name: JOB_ID.name, help: "a job id from 'create'" }],
  flags: { ...CONNECTION_FLAGS },
  exits: {
    [EXIT.ok]: 'the job is canceled (now or before)',
    [EXIT.usage]: 'usage error',
    [EXIT.error]:
      'the job had already completed or failed (409 job_finished), is unknown (404), or the server could not be reached',
  },
  build: ({ values, positionals }): CancelArgs => ({ ...connectionOf(values), jobId: positionals[0] ?? '' }),
  async run(parsed, io) {
    const startedAt = Date.now();
    const status = await clientFor(parsed, stderrNotice(io, 'cancel')).cancelJob(parsed.jobId);
    io.stdout.write(
      parsed.json
        ? eventLine(
            { event: 'canceled', job: status.body },
            status.jobId ?? parsed.jobId,
            Date.now() - startedAt,
          )
        : `${status.jobId ?? parsed.jobId}  ${status.stage ?? 'canceled'}\n`,
    );
    return EXIT.ok;
  },
});
