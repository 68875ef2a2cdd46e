/**
 * Errors in the CLI's words. The client's messages advise library callers ("raise timeoutMs"); here each
 * error class is described from its fields, with advice in flags (--base-url, --api-key, --timeout), an
 * HTML body summarised, and the server's body field names turned into the create flags they came from.
 */
import {
  ConfigurationError,
  HttpError,
  JobFailedError,
  NetworkError,
  ProtocolError,
  RequestTimeoutError,
  RetriesExhaustedError,
  TranslationStatusError,
  WaitTimeoutError,
} from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { UsageError } from '../args/usage-error.js';
import { plural } from '../output/plural.js';
import { InterruptedError, StoppedError, UnreachableError } from './cli-errors.js';

/** One error as the user reads it: what happened, the facts in brackets, then what to do. */
export interface Description {
  readonly what: string;
  readonly advice?: string | undefined;
}

/** Library and wire names → the flag a CLI user sets instead. Longest first, so `body.simulate.x` wins. */
const CLI_NAMES: readonly (readonly [string, string])[] = [
  ['body.simulate.duration_ms', '--simulate-duration-ms'],
  ['body.simulate.outcome', '--simulate-outcome'],
  ['body.simulate.error_code', '--simulate-error-code'],
  ['body.video_duration_seconds', '--duration'],
  ['body.source_language', '--source'],
  ['body.target_language', '--target'],
  ['body.lip_sync', '--lip-sync'],
  ['video_duration_seconds', '--duration'],
  ['source_language', '--source'],
  ['target_language', '--target'],
  ['videoDurationSeconds', '--duration'],
  ['sourceLanguage', '--source'],
  ['targetLanguage', '--target'],
  ['lipSync', '--lip-sync'],
  ['baseUrl', '--base-url'],
  ['apiKey', '--api-key'],
  ['timeoutMs', '--timeout'],
];

/** Replaces library option and body field names with the CLI flags. */
export function inCliWords(text: string): string {
  let result = text;
  for (const [name, flag] of CLI_NAMES) {
    result = result.replace(new RegExp(`(?<![\\w.-])${name.replaceAll('.', '\\.')}(?![\\w-])`, 'g'), flag);
  }
  // "the --api-key option", "option --base-url": a flag is a flag.
  return result.replace(/\b(?:the )?(--[a-z-]+) options?\b/g, '$1').replace(/\boptions? (--[a-z-]+)/g, '$1');
}

/** A sentence without its closing full stop, so it can be continued. */
function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

/** An HTML page as `an HTML page ("502 Bad Gateway")`; other text on one line, cut at 120 characters. */
export function summariseBody(text: string): string {
  const trimmed = text.trim();
  if (/^<(!doctype|html|head|body|\?xml)/i.test(trimmed) || /<\/(html|body|head)>/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return title === undefined || title === '' ? 'an HTML page' : `an HTML page ("${title}")`;
  }
  const line = trimmed.replace(/\s+/g, ' ');
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** The deepest message of a fetch failure: `connect ECONNREFUSED 127.0.0.1:1`, not `fetch failed`. */
function rootCause(error: unknown): string | undefined {
  let current: unknown = error;
  let message: string | undefined;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.message !== '') message = current.message;
    current = current.cause;
  }
  return message;
}

function facts(error: TranslationStatusError): string {
  const parts: string[] = [];
  if (error.jobId !== undefined) parts.push(`job '${error.jobId}'`);
  const after: string[] = [];
  if (error.elapsedMs !== undefined) after.push(formatDuration(error.elapsedMs));
  if (error.attempts !== undefined) after.push(plural(error.attempts, 'request'));
  if (after.length > 0) parts.push(`after ${after.join(' and ')}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** ` job_not_found: No job has the id …` or `: an HTML page ("502 Bad Gateway")`, as one clause. */
function serverSaid(error: HttpError): string {
  const message =
    error.serverMessage === undefined ? '' : `: ${clause(inCliWords(summariseBody(error.serverMessage)))}`;
  return `${error.serverCode === undefined ? '' : ` ${error.serverCode}`}${message}`;
}

function describeHttp(error: HttpError): Description {
  const what = `the server answered HTTP ${error.status}${serverSaid(error)} (${error.url})`;
  if (error.status === 401 || error.status === 403) {
    return { what, advice: 'Check --api-key (or TRANSLATION_STATUS_API_KEY).' };
  }
  if (error.status === 404) {
    return {
      what,
      advice:
        error.serverCode === 'job_not_found'
          ? 'Check the job id and --base-url.'
          : 'Check that --base-url points at a translation-status server.',
    };
  }
  if (error.status === 429 || error.status >= 500) {
    return { what, advice: 'The server is overloaded or failing: try again later.' };
  }
  return { what };
}

/** What happened and what to do, without the facts. */
export function describeParts(error: unknown): Description {
  if (error instanceof JobFailedError) {
    return { what: `the job failed with ${error.jobErrorCode}: ${clause(error.jobErrorMessage)}` };
  }
  if (error instanceof WaitTimeoutError) {
    const stage = error.lastStatus?.stage;
    return {
      what: `the job was still pending${stage === undefined ? '' : ` (stage ${stage})`} when --timeout ${formatDuration(error.timeoutMs)} passed`,
      advice: 'It may still finish: wait again, or raise --timeout.',
    };
  }
  if (error instanceof HttpError) return describeHttp(error);
  if (error instanceof NetworkError) {
    const reason = rootCause(error.cause);
    return {
      what: `could not reach ${error.url}${reason === undefined ? '' : `: ${clause(reason)}`}`,
      advice: 'Check --base-url, and that the server is running.',
    };
  }
  if (error instanceof RequestTimeoutError) {
    return {
      what: `${error.url} gave no answer within ${formatDuration(error.timeoutMs)}`,
      advice: 'The server is slow or stuck: try again later.',
    };
  }
  if (error instanceof ProtocolError) {
    const body =
      error.body === undefined || error.body.trim() === '' ? '' : `; it sent ${summariseBody(error.body)}`;
    return {
      what: `${error.url ?? 'the server'} did not answer in the status protocol: ${clause(error.problem)}${body}`,
      advice: 'Check that --base-url points at a translation-status server.',
    };
  }
  if (error instanceof RetriesExhaustedError) {
    const last = error.cause === undefined ? undefined : describeParts(error.cause);
    return {
      what: `gave up after ${plural(error.maxRetries, 'retry', 'retries')} in a row${last === undefined ? '' : `; the last failure: ${last.what}`}`,
      advice: last?.advice ?? 'The server may be down: try again later.',
    };
  }
  if (error instanceof UnreachableError) {
    const last = error.cause === undefined ? undefined : describeParts(error.cause);
    const requests = error.attempts === undefined ? '' : ` (${plural(error.attempts, 'request')})`;
    return {
      what: `never read the job's status before --timeout ${formatDuration(error.timeoutMs)} passed${requests}${last === undefined ? '' : `; the last failure: ${last.what}`}`,
      advice: last?.advice ?? 'Check --base-url, and that the server is running.',
    };
  }
  if (error instanceof Error) return { what: clause(inCliWords(error.message)) };
  return { what: clause(String(error)) };
}

/** The whole sentence: `What happened (job 'j', after 4.0s and 6 requests). What to do.` */
export function describeError(error: unknown): string {
  if (error instanceof UsageError || error instanceof InterruptedError || error instanceof StoppedError)
    return error.message;
  const { what, advice } = describeParts(error);
  const context =
    error instanceof TranslationStatusError && !(error instanceof ConfigurationError) ? facts(error) : '';
  return `${what}${context}.${advice === undefined ? '' : ` ${advice}`}`;
}
