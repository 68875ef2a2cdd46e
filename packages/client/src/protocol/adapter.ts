/**
 * A protocol adapter: everything that differs between the servers the client can wait on (a job's
 * URL, how a status body reads, how a job is created, which header carries the key). The schedule,
 * hints, retries, budget, deadlines and logging are the client's and the same for every adapter. The
 * two built-in ones are here; HeyGen's live in `./heygen/`, an entry of its own, outside the default
 * bundle.
 */
import type { ConfigurationErrorFields } from '../errors/index.js';
import { createJobBody, type CreateJobInput } from './create-job.js';
import { createdJobUrl, jobsUrl, statusUrl, urlOf } from './paths.js';
import { parseStatus, type JobStatus, type ParsedStatus } from './status.js';

/** The request that creates a job. */
export interface CreateRequest {
  readonly url: string;
  /** The JSON body. */
  readonly body: string;
  /**
   * The server honours `Idempotency-Key` here, so a create whose answer was lost is retried with the
   * same key. When false only answers that say "not now" before doing anything (429) are retried.
   */
  readonly idempotent: boolean;
}

/** A create's answer: every job it made (one per language for HeyGen v3), or what is wrong with it. */
export type ReadCreated =
  | {
      readonly ok: true;
      readonly ids: readonly [string, ...string[]];
      /** The first job's URL. */
      readonly url: string;
      /** The first job's status (pending, when the answer holds no status). */
      readonly status: JobStatus;
    }
  | { readonly ok: false; readonly problem: string };

export interface ProtocolAdapter<Input = CreateJobInput> {
  /** Shown in errors and logs, e.g. `heygen-v3`. */
  readonly name: string;
  /**
   * The server may offer this library's extensions (long-poll, event streams, `GET /jobs?ids=`,
   * `DELETE /jobs/:id`). When false the client only polls `statusUrl`, whatever `transport` says.
   */
  readonly extensions: boolean;
  /** The header `apiKey` is sent in: `authorization` means `Bearer <key>`, any other the key as is. */
  readonly apiKeyHeader: string;
  /** A job's status URL under `baseUrl` (which ends in `/`); no id: the server's default job, if any. */
  readonly statusUrl: (baseUrl: string, jobId: string | undefined) => string;
  /** Reads a 2xx status body. Pure; an unknown status value is a problem, never a pending. */
  readonly readStatus: (body: unknown) => ParsedStatus;
  /** What is wrong with a `createJob` input (nothing: an empty list). Absent: the input is not checked. */
  readonly checkInput?: (input: unknown) => readonly ConfigurationErrorFields[];
  /**
   * The request that creates the job `input` describes. Absent: this server cannot create jobs. (A
   * method, so an adapter of a narrower input still is a `ProtocolAdapter<unknown>`.)
   */
  createRequest?(baseUrl: string, input: Input): CreateRequest;
  /** Reads a create's 2xx answer (`location` is its `Location` header). */
  readCreated?(body: unknown, location: string | null, baseUrl: string): ReadCreated;
}

/** The built-in adapters' names (HeyGen's are objects: see `./heygen/`). */
export type ProtocolName = 'translation-status' | 'classic';

/** What the `protocol` option takes: a name, or an adapter of your own. */
export type ProtocolChoice = ProtocolName | ProtocolAdapter<unknown>;

/** The `createJob` input of a protocol choice. */
export type InputOf<P> = P extends ProtocolAdapter<infer Input> ? Input : CreateJobInput;

/** This library's protocol (docs/protocol.md), the default. */
export const translationStatusProtocol: ProtocolAdapter = {
  name: 'translation-status',
  extensions: true,
  apiKeyHeader: 'authorization',
  statusUrl,
  readStatus: parseStatus,
  createRequest: (baseUrl, input) => ({
    url: jobsUrl(baseUrl),
    body: createJobBody(input),
    idempotent: true,
  }),
  readCreated(body, location, baseUrl) {
    const parsed = parseStatus(body);
    if (!parsed.ok) return parsed;
    const id = parsed.status.jobId;
    if (id === undefined) return { ok: false, problem: 'the created job has no id' };
    return { ok: true, ids: [id], url: createdJobUrl(baseUrl, location, id), status: parsed.status };
  },
};

/** A server with only `GET /status` (a job id, if given, as `?job_id=`): polled, nothing created. */
export const classicProtocol: ProtocolAdapter = {
  name: 'classic',
  extensions: false,
  apiKeyHeader: 'authorization',
  statusUrl: (baseUrl, jobId) => urlOf('status', baseUrl, { job_id: jobId }),
  readStatus: parseStatus,
};
