export type { BuildAppOptions } from './app.js';
export { buildApp, defaultJobInput } from './app.js';
export type { Clock } from './clock.js';
export { FakeClock, systemClock } from './clock.js';
export type { ErrorBody } from './errors.js';
export { ApiError, ERROR_SPECS, ErrorCode } from './errors.js';
export type { Fault, FaultRates } from './faults.js';
export { decideFault } from './faults.js';
export { etagOf, parseIfNoneMatch, parseLastEventId, parsePreferWait } from './headers.js';
export type { PollHintBounds, PollHints } from './hints.js';
export { HINT_SHARE_OF_ETA, pollHints } from './hints.js';
export type {
  JobError,
  JobErrorCode,
  JobInput,
  JobPlan,
  JobResource,
  JobResult,
  JobStage,
  ModelSettings,
  ProcessingStage,
  SimulateOptions,
  Transition,
} from './model.js';
export { describeJob, JOB_ERROR_CODES, JOB_ERRORS, JOB_RESULTS, planJob, STAGE_WEIGHTS } from './model.js';
export type { Random } from './prng.js';
export { createRandom } from './prng.js';
export { MAX_BATCH_IDS, MAX_VIDEO_SECONDS } from './schemas.js';
export type { RunningServer } from './server.js';
export { startServer } from './server.js';
export type { LogLevel, ServerSettings, SettingSpec } from './settings.js';
export {
  DEFAULT_SETTINGS,
  LOG_LEVELS,
  resolveSettings,
  SETTING_SPECS,
  SettingsError,
  settingsArgOptions,
  settingsHelp,
  validateSettings,
} from './settings.js';
export { SSE_HEARTBEAT, SSE_PREAMBLE, statusEvent } from './sse.js';
export type { InMemoryJobStoreOptions, JobListener, JobStore } from './store.js';
export { InMemoryJobStore } from './store.js';
export { TimerQueue } from './timer-queue.js';
