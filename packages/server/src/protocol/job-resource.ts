/**
 * The job resource of docs/protocol.md: a stored job rendered as seen at one moment.
 */
import type { JobRecord } from '../domain/state.js';
import { ETA_READ_NOISE, etaIn, jobStateAt, progressIn } from '../domain/state.js';
import type { JobError, JobResult, JobStage } from '../domain/plan.js';
import { CANCELED_ERROR } from '../domain/cancel.js';

/** The job resource of docs/protocol.md, exactly as sent on the wire. */
export interface JobResource {
  id: string;
  result: JobResult;
  stage: JobStage;
  progress: number;
  source_language: string;
  target_language: string;
  video_duration_seconds: number;
  lip_sync: boolean;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  eta_ms?: number;
  version: number;
  /** Why the job ended in error: a simulated failure, or `canceled`. */
  error?: { code: JobError['code'] | typeof CANCELED_ERROR.code; message: string };
}

/**
 * The ISO 8601 times of a record's creation then each of its transitions, worked out once per record:
 * formatting dates was the largest cost of answering a status read.
 */
const transitionTimes = new WeakMap<JobRecord, readonly string[]>();

function timesOf(record: JobRecord): readonly string[] {
  let times = transitionTimes.get(record);
  if (times === undefined) {
    const at = (offset: number): string => new Date(record.createdAtMs + offset).toISOString();
    times = [at(0), ...record.plan.transitions.map((t) => at(t.atMs))];
    transitionTimes.set(record, times);
  }
  return times;
}

/** Renders a record as seen at `nowMs`; `readNoise` is a draw in [-1, 1) scaled by ETA_READ_NOISE. */
export function describeJob(record: JobRecord, nowMs: number, readNoise = 0): JobResource {
  const elapsed = Math.max(0, nowMs - record.createdAtMs);
  const state = jobStateAt(record, elapsed);
  const times = timesOf(record);
  const canceled = state.stage === 'canceled';
  // The cached times are the plan's; a cancellation's is worked out when read, which is rare.
  const since = canceled
    ? new Date(record.createdAtMs + state.sinceMs).toISOString()
    : (times[state.version] as string);
  const resource: JobResource = {
    id: record.id,
    result: state.result,
    stage: state.stage,
    progress: progressIn(record.plan, state, elapsed),
    source_language: record.input.sourceLanguage,
    target_language: record.input.targetLanguage,
    video_duration_seconds: record.input.videoDurationSeconds,
    lip_sync: record.input.lipSync,
    created_at: times[0] as string,
    updated_at: since,
    completed_at: state.result === 'pending' ? null : since,
    version: state.version,
  };
  const eta = etaIn(record.plan, state, elapsed, readNoise * ETA_READ_NOISE);
  if (eta !== undefined) resource.eta_ms = eta;
  const error = canceled ? CANCELED_ERROR : record.plan.error;
  if (state.result === 'error' && error !== undefined) resource.error = { ...error };
  return resource;
}
