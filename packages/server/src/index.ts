export type { Clock } from './clock.js';
export { FakeClock, systemClock } from './clock.js';
export type { PollHintBounds, PollHints } from './hints.js';
export { pollHints } from './hints.js';
export type {
  JobError,
  JobErrorCode,
  JobInput,
  JobResource,
  JobResult,
  JobStage,
  ModelSettings,
  ProcessingStage,
  SimulateOptions,
} from './model.js';
export { JOB_ERROR_CODES, JOB_ERRORS, planJob } from './model.js';
export type { Random } from './prng.js';
export { createRandom } from './prng.js';
export type { InMemoryJobStoreOptions, JobListener, JobStore } from './store.js';
export { InMemoryJobStore } from './store.js';
export { TimerQueue } from './timer-queue.js';
