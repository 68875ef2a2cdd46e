import { formatErrorMessage, type ErrorContext } from './context.js';

/**
 * Base of every error this library throws. `code` is stable (switch on it, not on the message);
 * `jobId`, `elapsedMs` and `attempts` say which wait failed, when and after how many requests. Every
 * field of `context` but `cause` (the Error's own) becomes a field of the error: that is how each
 * subclass gets its facts (`url`, `status`, …).
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
    // Each subclass names itself too: a minifier renames classes, and new.target.name with them.
    this.name = new.target.name;
    this.code = code;
    const { cause: _cause, ...facts } = context;
    Object.assign(this, facts);
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

  /**
   * The same failure as seen by one of several waits sharing the requests: a copy (same class, fields,
   * cause and stack) with that wait's own elapsed time and request count. Returns `this` when they match.
   */
  forWait(context: Pick<ErrorContext, 'elapsedMs' | 'attempts'>): this {
    if (context.elapsedMs === this.elapsedMs && context.attempts === this.attempts) return this;
    // A real Error (for isNativeError, structuredClone and loggers) of this class, without re-running
    // the subclass constructor; then every field (message, stack and cause are not enumerable, so
    // they are the copy's own), this wait's facts, and the stack with its first line updated.
    const options = this.cause === undefined ? undefined : { cause: this.cause };
    const copy = Reflect.construct(Error, ['', options], this.constructor) as this;
    Object.assign(copy, this, context);
    copy.message = formatErrorMessage(this.what, copy, this.advice);
    if (this.stack !== undefined) copy.stack = this.stack.replace(this.message, copy.message);
    return copy;
  }
}
