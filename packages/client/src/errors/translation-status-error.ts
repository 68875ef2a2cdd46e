import { formatErrorMessage, type ErrorContext } from './context.js';

/**
 * Base of every error this library throws. `code` is stable (switch on it, not on the message);
 * `jobId`, `elapsedMs` and `attempts` say which wait failed, when and after how many requests.
 */
export class TranslationStatusError extends Error {
  readonly code: string;
  jobId: string | undefined;
  elapsedMs: number | undefined;
  attempts: number | undefined;
  private readonly what: string;
  private readonly advice: string | undefined;

  constructor(code: string, what: string, context: ErrorContext, advice?: string) {
    super(
      formatErrorMessage(what, context, advice),
      context.cause === undefined ? undefined : { cause: context.cause },
    );
    this.name = new.target.name;
    this.code = code;
    this.jobId = context.jobId;
    this.elapsedMs = context.elapsedMs;
    this.attempts = context.attempts;
    this.what = what;
    this.advice = advice;
  }

  /**
   * Fills in facts only the waiter knows (the error is often made deep in a request); facts already
   * set are kept. The message is rebuilt to include them.
   */
  addContext(context: Pick<ErrorContext, 'jobId' | 'elapsedMs' | 'attempts'>): this {
    this.jobId ??= context.jobId;
    this.elapsedMs ??= context.elapsedMs;
    this.attempts ??= context.attempts;
    this.message = formatErrorMessage(this.what, this, this.advice);
    return this;
  }
}
