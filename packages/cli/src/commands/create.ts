/** `translation-status create`: submit a video for translation. */
import { WEBHOOK_EVENT_TYPES, type CreateJobInput, type WebhookEventType } from '@translation-status/client';
import type { HeyGenV2Input, HeyGenV3Input } from '@translation-status/client/heygen';
import { MAX_VIDEO_SECONDS } from '@translation-status/server/settings';
import { choiceFlag, numberFlag, textFlag, toggleFlag, urlFlag } from '../args/flags.js';
import { UsageError } from '../args/usage-error.js';
import { defineCommand } from '../command.js';
import { eventLine } from '../output/events.js';
import { retryEvent, retrySentence } from '../output/retry.js';
import { clientFor, stderrNotice } from '../runtime/client.js';
import { EXIT } from '../runtime/exit-codes.js';
import { heygenInput } from './heygen-input.js';
import { CONNECTION_FLAGS, connectionOf, type Connection } from './shared-flags.js';

export interface CreateArgs extends Connection {
  /** This library's input, or HeyGen's body with --protocol heygen-v2|heygen-v3. */
  readonly input: CreateJobInput | HeyGenV2Input | HeyGenV3Input;
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
    target: textFlag({
      metavar: 'LANG',
      help: 'language to translate into, e.g. es (HeyGen: its names, comma-separated for v3)',
      required: true,
    }),
    duration: numberFlag({
      metavar: 'SECONDS',
      help: 'length of the video in seconds (required, except with HeyGen)',
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
    'video-url': urlFlag({ metavar: 'URL', help: 'HeyGen only (required there): a public URL of the video' }),
    mode: choiceFlag({
      metavar: 'MODE',
      help: "heygen-v3 only: HeyGen's translation mode (its default: speed)",
      values: ['speed', 'precision'],
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
    const protocol = values.protocol;
    if (protocol === 'heygen-v2' || protocol === 'heygen-v3') {
      const given = (flag: string, value: unknown): string[] => (value === undefined ? [] : [flag]);
      const input = heygenInput(protocol, {
        target: values.target,
        videoUrl: values['video-url'],
        mode: values.mode,
        callbackUrl,
        simulate: {
          ...(durationMs === undefined ? {} : { durationMs }),
          ...(outcome === undefined ? {} : { outcome }),
        },
        unsupported: [
          ...given('--duration', values.duration),
          ...given('--lip-sync', lipSync),
          ...given('--simulate-error-code', errorCode),
          ...given('--callback-events', callbackEvents),
        ],
      });
      return { ...connectionOf(values), input };
    }
    if (values['video-url'] !== undefined || values.mode !== undefined) {
      throw new UsageError('--video-url and --mode need --protocol heygen-v2 or heygen-v3');
    }
    if (values.duration === undefined) {
      throw new UsageError('--duration is required: length of the video in seconds.');
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
    // HeyGen v3 makes one job per language: one line (or event) each.
    for (const id of job.ids) {
      io.stdout.write(
        parsed.json
          ? eventLine({ event: 'created', job: job.status.body }, id, Date.now() - startedAt)
          : `${id}\n`,
      );
    }
    return EXIT.ok;
  },
});
