/**
 * What HeyGen's two API versions share: the `{"data": …}` envelope, its four status words, and the
 * checks of a create body's fields. Pure.
 */
import { ConfigurationError, type ConfigurationErrorFields } from '../../errors/index.js';
import { isRecord, type JobError, type JobResult, type JobStatus, type ParsedStatus } from '../status.js';

/** A failed translation: HeyGen's status carries a message but no code, so the code is ours. */
export const TRANSLATION_FAILED = 'translation_failed';

type Problem = { readonly ok: false; readonly problem: string };

const problem = (text: string): Problem => ({ ok: false, problem: text });

/** The object under `data`, or why there is none (an `error` beside it is reported). */
export function dataOf(body: unknown): { ok: true; data: Record<string, unknown> } | Problem {
  if (!isRecord(body)) return problem('expected a JSON object with a data field');
  const error = body['error'];
  if (error !== undefined && error !== null) {
    const message = isRecord(error) ? error['message'] : error;
    return problem(
      `the answer holds an error: ${typeof message === 'string' ? message : JSON.stringify(error)}`,
    );
  }
  const data = body['data'];
  return isRecord(data) ? { ok: true, data } : problem("the body has no 'data' object");
}

/** Reads a string field of `data`; empty strings and other types count as missing. */
export function text(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface StatusFields {
  /** The fields that may hold the job's id, in order. */
  readonly id: readonly string[];
  /** HeyGen's status word for a finished translation (`success` in v2, `completed` in v3). */
  readonly done: string;
  /** The field holding the video's URL once done. */
  readonly url: string;
  /** The field holding the failure's message. */
  readonly message: string;
}

const PENDING_WORDS = ['pending', 'running'];

/** Reads `{"data": {status, …}}` with the field names of one API version. */
export function readHeyGenStatus(body: unknown, fields: StatusFields): ParsedStatus {
  const found = dataOf(body);
  if (!found.ok) return found;
  const { data } = found;
  const word = data['status'];
  let result: JobResult;
  if (typeof word === 'string' && PENDING_WORDS.includes(word)) result = 'pending';
  else if (word === fields.done) result = 'completed';
  else if (word === 'failed') result = 'error';
  else {
    const shown =
      typeof word === 'string'
        ? `'${word.slice(0, 40)}'`
        : word === undefined
          ? 'none'
          : JSON.stringify(word);
    return problem(`unknown HeyGen status ${shown}; expected pending, running, ${fields.done} or failed`);
  }
  const videoUrl = text(data, fields.url);
  if (result === 'completed' && videoUrl === undefined) {
    return problem(`the status is ${fields.done} but '${fields.url}' holds no URL`);
  }
  const error: JobError | undefined =
    result === 'error'
      ? { code: TRANSLATION_FAILED, message: text(data, fields.message) ?? 'HeyGen gave no message' }
      : undefined;
  const status: JobStatus = {
    jobId: fields.id.map((field) => text(data, field)).find((id) => id !== undefined),
    result,
    // `pending` then `running`: a visible change, so `watch` and `onStatus` see the job start.
    stage: word,
    progress: undefined,
    etaMs: undefined,
    version: undefined,
    error,
    body: data,
    ...(videoUrl === undefined ? {} : { videoUrl }),
  };
  return { ok: true, status };
}

/** A pending status for a job just created (HeyGen's create answers hold ids only). */
export function createdStatus(jobId: string, body: Record<string, unknown>): JobStatus {
  return {
    jobId,
    result: 'pending',
    stage: undefined,
    progress: undefined,
    etaMs: undefined,
    version: undefined,
    error: undefined,
    body,
  };
}

/** Checks the named fields of a create input are non-empty strings (optional ones may be absent). */
export function checkTextFields(
  input: unknown,
  required: readonly string[],
  optional: readonly string[],
): { input: Record<string, unknown> | undefined; issues: ConfigurationErrorFields[] } {
  if (!isRecord(input)) {
    return {
      input: undefined,
      issues: [{ option: 'input', value: input, expected: `an object with ${required.join(', ')}` }],
    };
  }
  const issues: ConfigurationErrorFields[] = [];
  for (const field of [...required, ...optional]) {
    const value = input[field];
    if (value === undefined && !required.includes(field)) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ option: `input.${field}`, value, expected: 'a non-empty string' });
    }
  }
  return { input, issues };
}

/** A path under `baseUrl` ending in the encoded job id; HeyGen has no default job. */
export function jobPath(baseUrl: string, prefix: string, jobId: string | undefined): string {
  if (jobId === undefined) {
    throw new ConfigurationError({
      option: 'jobId',
      value: undefined,
      expected: 'a job id (HeyGen has no default job)',
    });
  }
  return new URL(`${prefix}/${encodeURIComponent(jobId)}`, baseUrl).href;
}
