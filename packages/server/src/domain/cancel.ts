/**
 * Whether a job can be canceled (DELETE /jobs/:id). Pure, so every store answers alike.
 */
import type { JobRecord } from './state.js';
import { stateAt } from './state.js';

/**
 * `canceled`: the job was pending and is canceled now; `already_canceled`: it was canceled before (a
 * repeated DELETE is not an error); `finished`: it completed or failed first, and stays as it ended.
 */
export type CancelOutcome = 'canceled' | 'already_canceled' | 'finished';

/** The error a canceled job ends with. */
export const CANCELED_ERROR = Object.freeze({
  code: 'canceled',
  message: 'The job was canceled (DELETE /jobs/:id) before it finished',
} as const);

/** What DELETE does to `record`, `elapsedMs` after its creation. */
export function decideCancel(
  record: Pick<JobRecord, 'plan' | 'canceledAtMs'>,
  elapsedMs: number,
): CancelOutcome {
  if (record.canceledAtMs !== undefined) return 'already_canceled';
  return stateAt(record.plan, elapsedMs).result === 'pending' ? 'canceled' : 'finished';
}
