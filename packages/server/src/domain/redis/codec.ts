/**
 * Between what Redis holds and the model's records (pure). A job's hash keeps its record (input and
 * plan, written once) as JSON, and its creation and cancellation times (Redis clock, ms) as numbers.
 */
import type { JobInput, JobPlan } from '../plan.js';
import type { JobRecord } from '../state.js';

/** Bumped when the stored shape changes, so an old server refuses a record it cannot read. */
const RECORD_FORMAT = 1;

interface StoredRecord {
  readonly format: number;
  readonly input: JobInput;
  readonly plan: JobPlan;
}

/** A job's hash as read (its cancellation in the record), with Redis's time at the read. */
export interface ReadJob {
  readonly record: JobRecord;
  readonly nowMs: number;
}

/** `record` canceled at `canceledAt` (Redis clock, ms; nil when not canceled). */
export function withCancel(record: JobRecord, canceledAt: unknown): JobRecord {
  const at = optionalMsField(canceledAt, `the cancel time of job ${record.id}`);
  return at === undefined ? record : { ...record, canceledAtMs: at - record.createdAtMs };
}

export function encodeRecord(input: JobInput, plan: JobPlan): string {
  const stored: StoredRecord = { format: RECORD_FORMAT, input, plan };
  return JSON.stringify(stored);
}

/** The reply of Redis `TIME` (seconds, microseconds) in milliseconds. */
export function redisTimeMs(seconds: unknown, micros: unknown): number {
  const ms = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  if (!Number.isFinite(ms))
    throw new Error(`Redis answered TIME with '${String(seconds)}' '${String(micros)}'`);
  return ms;
}

/** A field that must hold a whole number of milliseconds; `what` names it in the error. */
export function msField(value: unknown, what: string): number {
  const ms = Number(value);
  if (typeof value !== 'string' || !Number.isSafeInteger(ms)) {
    throw new Error(`Redis holds '${String(value)}' as ${what}, not a time in ms`);
  }
  return ms;
}

/** An optional time field: nil is undefined. */
export function optionalMsField(value: unknown, what: string): number | undefined {
  return value === null || value === undefined ? undefined : msField(value, what);
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { format, input, plan } = value as Record<string, unknown>;
  return (
    format === RECORD_FORMAT &&
    typeof input === 'object' &&
    input !== null &&
    typeof plan === 'object' &&
    plan !== null &&
    Array.isArray((plan as Record<string, unknown>).transitions)
  );
}

/** Reads a stored record; a record this server cannot read is an error naming the job. */
export function decodeRecord(id: string, json: unknown, createdAtMs: number): JobRecord {
  let parsed: unknown;
  try {
    parsed = typeof json === 'string' ? JSON.parse(json) : undefined;
  } catch (error) {
    throw new Error(`Job ${id} in Redis is not valid JSON`, { cause: error });
  }
  if (!isStoredRecord(parsed)) {
    throw new Error(
      `Job ${id} in Redis is not a record of format ${RECORD_FORMAT}; ` +
        'was it written by another version of the server, or by something else under the same key prefix?',
    );
  }
  return { id, input: parsed.input, plan: parsed.plan, createdAtMs };
}

/**
 * The jobs in a reply of the READ script (undefined where unknown). `known[i]` is the record the read
 * asked to leave out for `ids[i]`; undefined as a whole when one was left out that `known` lacks.
 */
export function decodeRead(
  ids: readonly string[],
  known: readonly (JobRecord | undefined)[],
  reply: readonly unknown[],
): (ReadJob | undefined)[] | undefined {
  const nowMs = redisTimeMs(reply[0], reply[1]);
  const jobs: (ReadJob | undefined)[] = [];
  for (const [i, id] of ids.entries()) {
    const [json, created, canceled] = reply.slice(2 + 3 * i, 5 + 3 * i);
    if (created === null || created === undefined) {
      jobs.push(undefined);
      continue;
    }
    const createdAtMs = msField(created, `the creation time of job ${id}`);
    const record = json === null ? known[i] : decodeRecord(id, json, createdAtMs);
    if (record === undefined) return undefined;
    jobs.push({ record: withCancel(record, canceled), nowMs });
  }
  return jobs;
}
