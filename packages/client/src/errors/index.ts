export { formatDuration, formatErrorMessage, type ErrorContext } from './context.js';
export { TranslationStatusError } from './translation-status-error.js';
export {
  ConfigurationError,
  type ConfigurationErrorFields,
  type ConfigurationIssue,
} from './configuration-error.js';
export { JobFailedError, type JobFailedErrorFields } from './job-failed-error.js';
export { WaitTimeoutError, type WaitTimeoutErrorFields } from './wait-timeout-error.js';
export { HttpError, type HttpErrorFields } from './http-error.js';
export { NetworkError, type NetworkErrorFields } from './network-error.js';
export { RequestTimeoutError, type RequestTimeoutErrorFields } from './request-timeout-error.js';
export { ProtocolError, type ProtocolErrorFields } from './protocol-error.js';
export { RetriesExhaustedError, type RetriesExhaustedErrorFields } from './retries-exhausted-error.js';
export {
  WebhookVerificationError,
  type WebhookVerificationErrorFields,
  type WebhookRejection,
} from './webhook-verification-error.js';
