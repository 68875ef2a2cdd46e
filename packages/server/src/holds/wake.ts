/**
 * When a held request has news for its client. Pure.
 */
import type { JobResult } from '../domain/plan.js';

/** What ends a hold: any change of stage or result (the default), or only a job ending. */
export type WakeOn = 'change' | 'result';

/** Why a hold ended. */
export type WakeReason = 'changed' | 'timeout' | 'disconnected' | 'shutdown';

/** The part of a job the decision reads. */
export interface JobVersion {
  readonly result: JobResult;
  readonly version: number;
}

/**
 * Whether `job` has moved past the version the client has seen, so it is worth answering now: with
 * `wakeOn: 'change'`, when it is at any other version (versions only grow, so another one is news, and
 * a version the client cannot have seen means its view is not ours: it gets the job as it is); with
 * `wakeOn: 'result'`, only once it has ended.
 */
export function movedPast(job: JobVersion, seenVersion: number, wakeOn: WakeOn): boolean {
  return wakeOn === 'result' ? job.result !== 'pending' : job.version !== seenVersion;
}
