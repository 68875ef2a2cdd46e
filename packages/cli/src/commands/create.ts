/** `translation-status create`: submit a video for translation. */
import { WEBHOOK_EVENT_TYPES, type CreateJobInput, type WebhookEventType } from '@translation-status/client';
import { MAX_VIDEO_SECONDS } from '@translation-status/server';
import { choiceFlag, numberFlag, textFlag, toggleFlag, urlFlag } from '../args/flags.js';
import { UsageError } from '../args/usage-error.js';
import { defineCommand } from '../command.js';
import { eventLine } from '../output/events.js';
import { retryEvent, retrySentence } from '../output/retry.js';
import { clientFor, stderrNotice } from '../runtime/client.js';
import { EXIT } from '../runtime/exit-codes.js';
import { CONNECTION_FLAGS, connectionOf, type Connection } from './shared-flags.js';

export interface CreateArgs extends Connection {
  readonly input: CreateJobInput;
}

/** `--callback-events job.completed,job.stage_changed` → the types, checked. */
function eventTypes(list: string | undefined): WebhookEventType[] | undefined {
  if (list === undefined) return undefined;
  const types = list.split(',').map((type) => type.trim());
  const unknown = types.find((type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown !== undefined) {
    throw new UsageError(
      `--callback-events: '${unknown}' is not an event type; use ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    );
  }
  return types as WebhookEventType[];
}

export const createCommand = defineCommand({
  name: 'create',
  summary: 'submit a video for translation and print the job id',
  description:
    "Submits a video for translation and prints the new job's id (with --json, a created event with the job resource).",
  positionals: [],
  flags: {
    source: textFlag({ metavar: 'LANG', help: 'language of the video', default: 'en' }),
    target: textFlag({ metavar: 'LANG', help: 'language to translate into, e.g. es', required: true }),
    duration: numberFlag({
      metavar: 'SECONDS',
      help: 'length of the video in seconds',
      required: true,
      min: 0,
      minExclusive: true,
      max: MAX_VIDEO_SECONDS,
    }),
    'lip-sync': toggleFlag({ help: "keep the lips in sync (the server's default: yes)" }),
    'simulate-duration-ms': numberFlag({
      metavar: 'N',
      help: 'simulated server only: exact processing time in ms',
      min: 0,
      integer: true,
    }),
    'simulate-outcome': choiceFlag({
      metavar: 'OUTCOME',
      help: 'simulated server only: how the job ends',
      values: ['completed', 'error'],
    }),
    'simulate-error-code': textFlag({
      metavar: 'CODE',
      help: 'simulated server only: the job error, e.g. lip_sync_failed (implies error)',
    }),
    'callback-url': urlFlag({
      metavar: 'URL',
      help: "the server POSTs signed job events here (e.g. a 'listen' receiver)",
    }),
    'callback-events': textFlag({
      metavar: 'TYPES',
      help: `events to POST, comma-separated: ${WEBHOOK_EVENT_TYPES.join(', ')} (default: the first two)`,
    }),
    ...CONNECTION_FLAGS,
  },
  exits: {
    [EXIT.ok]: 'created',
    [EXIT.usage]: 'usage error',
    [EXIT.error]: 'the server refused the job or could not be reached',
  },
  build({ values }): CreateArgs {
    const durationMs = values['simulate-duration-ms'];
    const outcome = values['simulate-outcome'];
    const errorCode = values['simulate-error-code'];
    const simulate = {
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(outcome === undefined ? {} : { outcome }),
      ...(errorCode === undefined ? {} : { errorCode }),
    };
    const lipSync = values['lip-sync'];
    const callbackUrl = values['callback-url'];
    const callbackEvents = eventTypes(values['callback-events']);
    if (callbackEvents !== undefined && callbackUrl === undefined) {
      throw new UsageError('--callback-events needs --callback-url');
    }
    return {
      ...connectionOf(values),
      input: {
        sourceLanguage: values.source,
        targetLanguage: values.target,
        videoDurationSeconds: values.duration,
        ...(lipSync === undefined ? {} : { lipSync }),
        ...(Object.keys(simulate).length === 0 ? {} : { simulate }),
        ...(callbackUrl === undefined ? {} : { callbackUrl }),
        ...(callbackEvents === undefined ? {} : { callbackEvents }),
      },
    };
  },
  async run(parsed, io) {
    const startedAt = Date.now();
    const notice = stderrNotice(io, 'create');
    const job = await clientFor(parsed, notice).createJob(parsed.input, {
      onRetry: (info) => {
        if (parsed.json) io.stdout.write(eventLine(retryEvent(info), undefined, Date.now() - startedAt));
        notice(retrySentence(info));
      },
    });
    io.stdout.write(
      parsed.json
        ? eventLine({ event: 'created', job: job.status.body }, job.id, Date.now() - startedAt)
        : `${job.id}\n`,
    );
    return EXIT.ok;
  },
});
