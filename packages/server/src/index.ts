export type { BuildAppOptions } from './app.js';
export { buildApp, defaultJobInput } from './app.js';
export type { Clock } from './domain/clock.js';
export { FakeClock, systemClock } from './domain/clock.js';
export type { ErrorBody } from './protocol/errors.js';
export { ApiError, ERROR_SPECS, ErrorCode } from './protocol/errors.js';
export type { Fault, FaultRates } from './http/faults.js';
export { decideFault } from './http/faults.js';
export { etagOf, parseIfNoneMatch, parseLastEventId, parsePreferWait } from './protocol/headers.js';
export type { PollHintBounds, PollHints } from './protocol/hints.js';
export { HINT_SHARE_OF_ETA, pollHints } from './protocol/hints.js';
export type {
  JobError,
  JobErrorCode,
  JobInput,
  JobPlan,
  JobResult,
  JobStage,
  ModelSettings,
  ProcessingStage,
  SimulateOptions,
  Transition,
} from './domain/plan.js';
export type { JobResource } from './protocol/job-resource.js';
export { describeJob } from './protocol/job-resource.js';
export { JOB_ERROR_CODES, JOB_ERRORS, JOB_RESULTS, planJob, STAGE_WEIGHTS } from './domain/plan.js';
export type { Random } from './domain/prng.js';
export { createRandom } from './domain/prng.js';
export { MAX_BATCH_IDS } from './protocol/schemas.js';
export { serveUntilSignal } from './main.js';
export type { RunningServer } from './server.js';
export { startServer } from './server.js';
// The settings table and input limits, also the light `./settings` entry.
export * from './settings/index.js';
export { SSE_HEARTBEAT, SSE_PREAMBLE, statusEvent } from './protocol/sse.js';
export type { InMemoryJobStoreOptions } from './domain/memory-store.js';
export type { JobListener, JobStore } from './domain/store.js';
export { InMemoryJobStore } from './domain/memory-store.js';
export { TimerQueue } from './domain/timer-queue.js';
