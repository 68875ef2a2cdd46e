/** The batch answer of `GET /jobs?ids=`. Pure. */
import { isRecord, parseStatus, readError, stringField, type JobError, type JobStatus } from './status.js';

export type BatchEntry = { status: JobStatus } | { error: JobError };

export type ParsedBatch = { ok: true; entries: Map<string, BatchEntry> } | { ok: false; problem: string };

/**
 * Parses `GET /jobs?ids=` (`{"jobs": [{"id", "job"} | {"id", "error"}]}`). One bad entry fails the
 * whole answer: a server that garbles one entry cannot be trusted with the others.
 */
export function parseBatch(body: unknown): ParsedBatch {
  if (!isRecord(body) || !Array.isArray(body['jobs'])) {
    return { ok: false, problem: "expected an object with a 'jobs' array" };
  }
  const entries = new Map<string, BatchEntry>();
  // Typed as records once `stringField` has found an id on them (it answers undefined on anything else).
  for (const [index, entry] of (body['jobs'] as Record<string, unknown>[]).entries()) {
    const id = stringField(entry, 'id');
    if (id === undefined) return { ok: false, problem: `jobs[${index}] has no string 'id'` };
    if (entry['job'] !== undefined) {
      const parsed = parseStatus(entry['job']);
      if (!parsed.ok) return { ok: false, problem: `jobs[${index}] (id '${id}'): ${parsed.problem}` };
      entries.set(id, { status: parsed.status });
    } else if (entry['error'] !== undefined) {
      entries.set(id, { error: readError(entry['error']) });
    } else {
      return { ok: false, problem: `jobs[${index}] (id '${id}') has neither 'job' nor 'error'` };
    }
  }
  return { ok: true, entries };
}
