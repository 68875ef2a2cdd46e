/**
 * Reads what the server says about when and how to ask again: Retry-After, Poll-After-Ms, the job's
 * ETA, Status-Capabilities, the events Link and Preference-Applied. Pure; garbage in any header is
 * ignored rather than fatal, since a hint is only ever advice.
 */
import { readCapabilities, type Capabilities } from './capabilities.js';
import { headerParam, wholeParam } from './header-params.js';
import type { JobStatus } from './status.js';

/** Longest hint we accept, so a bogus header cannot park a wait for years (one day). */
const MAX_HINT_MS = 86_400_000;

/** Delta-seconds, decimals tolerated (`Poll-After-Ms` in milliseconds alike). */
const DELTA = /^\d+(?:\.\d+)?$/;
/** RFC 9110 HTTP-date starts with a day name: IMF-fixdate, obsolete RFC 850 and asctime forms. */
const HTTP_DATE = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i;

/** A non-negative decimal number of `unitMs` (rounded to the millisecond, at most a day), else undefined. */
function delayOf(text: string, unitMs: number): number | undefined {
  return DELTA.test(text) ? Math.min(MAX_HINT_MS, Math.round(Number(text) * unitMs)) : undefined;
}

/**
 * `Retry-After` in milliseconds from `nowMs`: delta-seconds (decimals tolerated) or an HTTP-date (a
 * date in the past means 0). Undefined for anything else, never negative or NaN, at most one day.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? '';
  if (!HTTP_DATE.test(text)) return delayOf(text, 1000); // Date.parse alone accepts "1" or "2" as years
  // Only asctime carries no zone; RFC 9110 says it is GMT, while Date.parse would read local time.
  const inMs = Date.parse(/gmt$/i.test(text) ? text : `${text} GMT`) - nowMs;
  return Number.isFinite(inMs) ? Math.min(MAX_HINT_MS, Math.max(0, inMs)) : undefined;
}

/** `Poll-After-Ms`: a non-negative number of milliseconds (decimals rounded), else undefined. */
export function parsePollAfterMs(value: string | null | undefined): number | undefined {
  return delayOf(value?.trim() ?? '', 1);
}

/** One `<uri>; params` of an RFC 8288 Link header. Quoted commas are rare enough to ignore. */
const LINK_VALUE = /<([^>]*)>([^<]*)/g;

/** The URL of the link whose `rel` includes `events`, resolved against `baseUrl`. */
export function parseEventsLink(link: string | null | undefined, baseUrl: string): string | undefined {
  for (const [, target = '', params = ''] of (link ?? '').matchAll(LINK_VALUE)) {
    const rel = headerParam(params, 'rel') ?? '';
    if (!rel.toLowerCase().split(/\s+/).includes('events')) continue;
    try {
      return new URL(target.trim(), baseUrl).href;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `Preference-Applied: wait=10` (maybe among other preferences): the seconds the server held. */
export function parsePreferenceAppliedWait(value: string | null | undefined): number | undefined {
  return wholeParam(value ?? '', 'wait');
}

/** Everything a response says about the next request, read once per response. */
export interface ServerHints {
  readonly retryAfterMs: number | undefined;
  readonly pollAfterMs: number | undefined;
  /** The job's `eta_ms`, while pending. */
  readonly etaMs: number | undefined;
  readonly capabilities: Capabilities;
  /** Absolute URL of the job's event stream, from `Link: <...>; rel="events"`. */
  readonly eventsUrl: string | undefined;
  /** Present when the server honoured `Prefer: wait`. */
  readonly preferenceAppliedWaitS: number | undefined;
}

/** The hints a status carries by itself (its ETA), for when no answer's headers are at hand. */
export function bodyHints(status: JobStatus): ServerHints {
  return readHints(new Headers(), status, 0, '');
}

/** Reads every hint of one response; `url` is the request's URL, to resolve a relative Link. */
export function readHints(
  headers: Headers,
  status: JobStatus | undefined,
  nowMs: number,
  url: string,
): ServerHints {
  return {
    retryAfterMs: parseRetryAfter(headers.get('retry-after'), nowMs),
    pollAfterMs: parsePollAfterMs(headers.get('poll-after-ms')),
    etaMs: status?.etaMs,
    capabilities: readCapabilities(headers),
    eventsUrl: parseEventsLink(headers.get('link'), url),
    preferenceAppliedWaitS: parsePreferenceAppliedWait(headers.get('preference-applied')),
  };
}
