/**
 * Reads what the server says about when and how to ask again: Retry-After, Poll-After-Ms, the job's
 * ETA, Status-Capabilities, the events Link and Preference-Applied. Pure; garbage in any header is
 * ignored rather than fatal, since a hint is only ever advice.
 */
import { readCapabilities, type Capabilities } from './capabilities.js';
import type { JobStatus } from './status.js';

/** Longest hint we accept, so a bogus header cannot park a wait for years (one day). */
const MAX_HINT_MS = 86_400_000;

const DELTA_SECONDS = /^\d+(?:\.\d+)?$/;
/** RFC 9110 HTTP-date starts with a day name: IMF-fixdate, obsolete RFC 850 and asctime forms. */
const HTTP_DATE = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i;
/** asctime carries no zone; RFC 9110 says it is GMT, while Date.parse would read local time. */
const ASCTIME = /^[a-z]{3} [a-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/i;

/**
 * `Retry-After` in milliseconds from `nowMs`: delta-seconds (decimals tolerated) or an HTTP-date (a
 * date in the past means 0). Undefined for anything else, never negative or NaN, at most one day.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) return Math.min(MAX_HINT_MS, Math.round(Number(text) * 1000));
  if (!HTTP_DATE.test(text)) return undefined; // Date.parse alone accepts "1" or "2" as years
  const at = Date.parse(ASCTIME.test(text) ? `${text} GMT` : text);
  if (!Number.isFinite(at) || !Number.isFinite(nowMs)) return undefined;
  return Math.min(MAX_HINT_MS, Math.max(0, at - nowMs));
}

/** `Poll-After-Ms`: a non-negative number of milliseconds (decimals rounded), else undefined. */
export function parsePollAfterMs(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  return DELTA_SECONDS.test(text) ? Math.min(MAX_HINT_MS, Math.round(Number(text))) : undefined;
}

/** One `<uri>; params` of an RFC 8288 Link header, and its `rel` (quoted or bare). Quoted commas are rare enough to ignore. */
const LINK_VALUE = /<([^>]*)>([^<]*)/g;
const REL_PARAM = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]*))/i;

/** The URL of the link whose `rel` includes `events`, resolved against `baseUrl`. */
export function parseEventsLink(link: string | null | undefined, baseUrl: string): string | undefined {
  for (const [, target = '', params = ''] of (link ?? '').matchAll(LINK_VALUE)) {
    const rel = REL_PARAM.exec(params);
    if (!(rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/).includes('events')) continue;
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
  if (value === null || value === undefined) return undefined;
  const match = /(?:^|[\s,;])wait\s*=\s*"?(\d+)"?/i.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]);
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
