import type { JobStatus } from '../protocol/status.js';

/** Whether a caller would see a difference: result, stage or progress moved. */
export function isVisibleChange(before: JobStatus | undefined, after: JobStatus): boolean {
  return (
    before?.result !== after.result || before.stage !== after.stage || before.progress !== after.progress
  );
}
