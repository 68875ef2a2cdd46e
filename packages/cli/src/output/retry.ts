/** A retry, as the user is told about it: a sentence for stderr, and the JSON event. */
import type { RetryInfo } from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { describeParts } from '../runtime/describe-error.js';
import { httpStatusOf } from '../runtime/report.js';
import type { EventBody } from './events.js';
import { plural } from './plural.js';

/** `retrying in 0.4s after 2 failures in a row: could not reach http://…: connect ECONNREFUSED …`. */
export function retrySentence(info: RetryInfo): string {
  return `retrying in ${formatDuration(info.delayMs)} after ${plural(info.attempt, 'failure')} in a row: ${describeParts(info.error).what}`;
}

export function retryEvent(info: RetryInfo): EventBody {
  return {
    event: 'retry',
    attempt: info.attempt,
    delay_ms: Math.round(info.delayMs),
    code: info.error.code,
    http_status: httpStatusOf(info.error) ?? null,
    message: describeParts(info.error).what,
  };
}
