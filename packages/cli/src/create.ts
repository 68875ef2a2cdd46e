/** `translation-status create`: submit a video for translation. */
import { CONNECTION_HELP, parseCreateArgs } from './args.js';
import type { Command } from './command.js';
import { exitCodeFor } from './exit-codes.js';
import { EXIT_OK } from './io.js';
import { clientFor, describeError } from './runtime.js';

export const CREATE_HELP = `Usage: translation-status create --target LANG --duration SECONDS [options]

Submits a video for translation and prints the new job's id (with --json, the whole job resource).

Options:
  --source LANG              language of the video (default en)
  --target LANG              language to translate into (required), e.g. es
  --duration SECONDS         length of the video in seconds (required, > 0)
  --no-lip-sync              do not keep the lips in sync (the server's default is to)
  --simulate-duration-ms N   simulated server only: exact processing time in ms
  --simulate-outcome O       simulated server only: completed or error
  --simulate-error-code C    simulated server only: e.g. lip_sync_failed (implies error)
${CONNECTION_HELP}

Exit codes: 0 created, 2 usage error, 4 the server refused or could not be reached.
`;

export const createCommand: Command = {
  summary: 'submit a video for translation and print the job id',
  async run(args, io) {
    const parsed = parseCreateArgs(args, io.env);
    if (parsed === 'help') {
      io.stdout.write(CREATE_HELP);
      return EXIT_OK;
    }
    const client = clientFor(parsed, io);
    try {
      const job = await client.createJob({
        sourceLanguage: parsed.sourceLanguage,
        targetLanguage: parsed.targetLanguage,
        videoDurationSeconds: parsed.videoDurationSeconds,
        ...(parsed.lipSync === undefined ? {} : { lipSync: parsed.lipSync }),
        ...(parsed.simulate === undefined ? {} : { simulate: parsed.simulate }),
      });
      io.stdout.write(parsed.json ? `${JSON.stringify(job.status.body)}\n` : `${job.id}\n`);
      return EXIT_OK;
    } catch (error) {
      io.stderr.write(`translation-status create: ${describeError(error)}\n`);
      return exitCodeFor(error);
    }
  },
};
