export { TranslationClient } from './client.js';
export type { CreateJobInput, CreatedJob, SettledWait, WaitForAllOptions } from './client.js';
export type { CompletedWait, WaitStats, StatusEvent, PollEvent, WaitCallbacks } from './subscription.js';
export type { RetryEvent } from './reader.js';
export type { ActiveTransport } from './job-watcher.js';
export * from './errors/index.js';
export { parseStatus, parseBatch, isVisibleChange } from './status.js';
export type { JobStatus, JobResult, JobError, ParsedStatus, ParsedBatch, BatchEntry } from './status.js';
export { parseRetryAfter, parseCapabilities, parseEventsLink } from './hints.js';
export type { ServerHints, Capabilities } from './hints.js';
export { nextPollDelay, planNextPoll, isPastEta } from './schedule.js';
export type { PollContext, PollSchedule, PollPlan } from './schedule.js';
export { decideRetry, isTransientFailure } from './retry.js';
export type { RequestFailure, FailureKind, RetryDecision, RetryInput } from './retry.js';
export { RetryBudget } from './retry-budget.js';
export type { RetryBudgetOptions } from './retry-budget.js';
export { DEFAULTS } from './options.js';
export type {
  ClientOptions,
  WaitOptions,
  PollingOptions,
  RetryOptions,
  BatchOptions,
  TransportMode,
  ActiveTransportName,
  StatusInfo,
  PollInfo,
  RetryInfo,
  ResolvedPollingOptions,
  ResolvedRetryOptions,
  ResolvedClientOptions,
} from './options.js';
export { systemClock, createManualClock } from './clock.js';
export type { Clock, ManualClock } from './clock.js';
export type { Logger, LogLevel, LogMethod } from './logger.js';
export * from './webhooks/index.js';
