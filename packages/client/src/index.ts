/**
 * Wait for long-running translation jobs over HTTP: `TranslationClient` and everything its API names.
 * @module @translation-status/client
 */
export { TranslationClient } from './client.js';
export type { CreatedJob, SettledWait, WaitForAllOptions } from './client.js';
export type { CreateJobInput } from './protocol/create-job.js';
export { classicProtocol, translationStatusProtocol } from './protocol/adapter.js';
export type {
  CreateRequest,
  InputOf,
  ProtocolAdapter,
  ProtocolChoice,
  ProtocolName,
  ReadCreated,
} from './protocol/adapter.js';
export type {
  CompletedWait,
  WaitStats,
  StatusEvent,
  PollEvent,
  WaitCallbacks,
} from './watch/shared-watch.js';
export type { RetryEvent } from './http/retrying-request.js';
export * from './errors/index.js';
export { parseStatus } from './protocol/status.js';
export type { CompletedStatus, JobStatus, JobResult, JobError, ParsedStatus } from './protocol/status.js';
export { parseBatch } from './protocol/batch.js';
export type { ParsedBatch, BatchEntry } from './protocol/batch.js';
export { isVisibleChange } from './watch/visible-change.js';
export { parseRetryAfter, parseEventsLink } from './protocol/hints.js';
export type { ServerHints } from './protocol/hints.js';
export { parseCapabilities } from './protocol/capabilities.js';
export type { Capabilities } from './protocol/capabilities.js';
export { nextPollDelay, planNextPoll, isPastEta } from './policy/schedule.js';
export type {
  PollContext,
  PollSchedule,
  PollPlan,
  PollingOptions,
  ResolvedPollingOptions,
} from './policy/schedule.js';
export { decideRetry } from './policy/retry.js';
export type { RetryDecision, RetryInput, RetryOptions, ResolvedRetryOptions } from './policy/retry.js';
export { isTransientFailure } from './policy/failure.js';
export type { RequestFailure, FailureKind } from './policy/failure.js';
export { RetryBudget } from './policy/retry-budget.js';
export type { RetryBudgetOptions } from './policy/retry-budget.js';
export { DEFAULTS } from './options/defaults.js';
export type {
  ClientOptions,
  WaitOptions,
  CompletionOptions,
  BatchOptions,
  TransportMode,
  ActiveTransportName,
  ActiveTransport,
  StatusInfo,
  PollInfo,
  RetryInfo,
  ResolvedClientOptions,
  WatchOptions,
  GetStatusOptions,
  CreateJobOptions,
} from './options/types.js';
export { closestName } from './common/closest-name.js';
export { systemClock, createManualClock } from './common/clock.js';
export type { Clock, ManualClock } from './common/clock.js';
export type { Logger, LogLevel, LogMethod } from './common/logger.js';
export type { WebhookWait, WebhookWaiter } from './webhooks/waiter.js';
export * from './webhooks/index.js';
