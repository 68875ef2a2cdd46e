/** Flags several commands share, declared once: where the server is, how to authenticate, output. */
import type { TransportMode } from '@translation-status/client';
import { booleanFlag, choiceFlag, textFlag, urlFlag, type Positional } from '../args/flags.js';
import type { FlagValues } from '../args/flags.js';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

/** The APIs the CLI speaks (`--protocol`): the client's built-ins, and HeyGen's two versions. */
export const PROTOCOLS = ['translation-status', 'classic', 'heygen-v2', 'heygen-v3'] as const;
export type CliProtocol = (typeof PROTOCOLS)[number];
export const TRANSPORTS: readonly TransportMode[] = ['auto', 'sse', 'long-poll', 'poll'];

export const JSON_FLAG = {
  json: booleanFlag({ help: 'one JSON object per line on stdout, errors included' }),
};

/** create, status, wait, cancel: the server, its API, the key and --json. */
export const CONNECTION_FLAGS = {
  'base-url': urlFlag({
    metavar: 'URL',
    help: 'the server (HeyGen: https://api.heygen.com)',
    env: 'TRANSLATION_STATUS_URL',
    default: DEFAULT_BASE_URL,
  }),
  protocol: choiceFlag({
    metavar: 'API',
    help: "the server's API",
    values: PROTOCOLS,
    default: 'translation-status',
  }),
  'api-key': textFlag({
    metavar: 'KEY',
    help: 'sent as a bearer token (HeyGen: x-api-key), never printed',
    env: 'TRANSLATION_STATUS_API_KEY',
    secret: true,
  }),
  ...JSON_FLAG,
};

export const TRANSPORT_FLAG = {
  transport: choiceFlag({
    metavar: 'MODE',
    help: 'how to follow the job',
    values: TRANSPORTS,
    default: 'auto',
  }),
};

/** `[job-id]`: without it, the server's default job. */
export const JOB_ID: Positional = {
  name: 'job-id',
  help: "a job id from 'create' (without one: the server's default job, GET /status)",
  optional: true,
};

/** Where the server is and how to authenticate. */
export interface Connection {
  readonly baseUrl: string;
  readonly protocol: CliProtocol;
  /** Never printed. */
  readonly apiKey: string | undefined;
  readonly json: boolean;
}

export function connectionOf(values: FlagValues<typeof CONNECTION_FLAGS>): Connection {
  return {
    baseUrl: values['base-url'],
    protocol: values.protocol,
    apiKey: values['api-key'],
    json: values.json,
  };
}
