/**
 * Reads a job's status from a response body, tolerant of what real servers send: the full job
 * resource of the protocol, the classic `{"result": ...}`, `status` instead of `result`, and common
 * synonyms. Pure.
 */
import { describeValue } from '../common/describe-value.js';

export type JobResult = 'pending' | 'completed' | 'error';

export interface JobError {
  readonly code: string;
  readonly message: string;
}

export interface JobStatus {
  readonly jobId: string | undefined;
  readonly result: JobResult;
  readonly stage: string | undefined;
  /** 0 to 1; undefined when absent or out of range. */
  readonly progress: number | undefined;
  /** The server's estimate of the remaining milliseconds, while pending. */
  readonly etaMs: number | undefined;
  readonly version: number | undefined;
  /** Present when `result` is `error` (code `unknown_error` if the server gave none). */
  readonly error: JobError | undefined;
  /** The translated video's URL, when the protocol names one (HeyGen's, once completed). */
  readonly videoUrl?: string;
  /** The whole body, for fields this library does not interpret. */
  readonly body: Record<string, unknown>;
}

/** The status a successful wait resolves with: its result is known to be `completed`. */
export type CompletedStatus = JobStatus & { readonly result: 'completed' };

/** Narrows a status to a completed one. */
export function isCompleted(status: JobStatus): status is CompletedStatus {
  return status.result === 'completed';
}

export type ParsedStatus = { ok: true; status: JobStatus } | { ok: false; problem: string };

/**
 * Words servers use for the three results, lower-cased. `cancelled`/`canceled` count as `error`: the
 * job will never complete, so a waiter must stop, and a failure is the honest outcome for the caller.
 */
const RESULT_SYNONYMS: ReadonlyMap<string, JobResult> = new Map<string, JobResult>([
  ...['pending', 'processing', 'running', 'queued', 'in_progress', 'in-progress', 'started'].map(
    (word) => [word, 'pending'] as const,
  ),
  ...['completed', 'success', 'succeeded', 'done', 'complete'].map((word) => [word, 'completed'] as const),
  ...['error', 'failed', 'failure', 'errored', 'cancelled', 'canceled'].map(
    (word) => [word, 'error'] as const,
  ),
]);

export const UNKNOWN_JOB_ERROR: JobError = {
  code: 'unknown_error',
  message: 'the job ended in error without saying why',
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegativeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** `value[key]` when `value` is a record and that field a string, else undefined. */
export function stringField(value: unknown, key: string): string | undefined {
  const field = isRecord(value) ? value[key] : undefined;
  return typeof field === 'string' ? field : undefined;
}

/** A job's `error`: an object's code and message, or a plain string as the message (defaults: `UNKNOWN_JOB_ERROR`). */
export function readError(value: unknown): JobError {
  if (!isRecord(value))
    return typeof value === 'string' && value !== ''
      ? { ...UNKNOWN_JOB_ERROR, message: value }
      : UNKNOWN_JOB_ERROR;
  return {
    code: stringField(value, 'code') || UNKNOWN_JOB_ERROR.code,
    message: stringField(value, 'message') ?? UNKNOWN_JOB_ERROR.message,
  };
}

/** Parses one job resource (or classic status body). Optional fields that are invalid are ignored. */
export function parseStatus(body: unknown): ParsedStatus {
  if (!isRecord(body)) return { ok: false, problem: `expected a JSON object, got ${describeValue(body)}` };
  const raw = body['result'] ?? body['status'];
  const result = typeof raw === 'string' ? RESULT_SYNONYMS.get(raw.trim().toLowerCase()) : undefined;
  if (result === undefined) {
    const problem =
      raw === undefined
        ? "the body has no 'result' (or 'status') field"
        : `unknown result ${describeValue(raw)}; expected pending, completed or error`;
    return { ok: false, problem };
  }
  const progress = nonNegativeNumber(body['progress']);
  const version = nonNegativeNumber(body['version']);
  return {
    ok: true,
    status: {
      jobId: stringField(body, 'id') || stringField(body, 'job_id') || undefined,
      result,
      stage: stringField(body, 'stage'),
      progress: progress !== undefined && progress <= 1 ? progress : undefined,
      etaMs: result === 'pending' ? nonNegativeNumber(body['eta_ms']) : undefined,
      version: version !== undefined && Number.isInteger(version) ? version : undefined,
      error: result === 'error' ? readError(body['error']) : undefined,
      body,
    },
  };
}
