/**
 * Parsing of the request headers the protocol relies on. Pure; lenient where the RFCs say to ignore.
 */

type HeaderValue = string | string[] | undefined;

const joined = (value: HeaderValue): string => (Array.isArray(value) ? value.join(',') : (value ?? ''));

/**
 * The `wait` preference of a `Prefer` header (RFC 7240), in whole seconds, or undefined. Other
 * preferences and parameters are tolerated; a malformed wait is ignored, as RFC 7240 asks.
 */
export function parsePreferWait(value: HeaderValue): number | undefined {
  for (const preference of joined(value).split(',')) {
    const [head] = preference.split(';');
    const eq = head?.indexOf('=') ?? -1;
    if (head === undefined || eq < 0) continue;
    if (head.slice(0, eq).trim().toLowerCase() !== 'wait') continue;
    const raw = head
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (/^\d{1,9}$/.test(raw)) return Number(raw);
  }
  return undefined;
}

/** The version in an `If-None-Match: "vK"` (or `W/"vK"`) header, or undefined. */
export function parseIfNoneMatch(value: HeaderValue): number | undefined {
  const match = /(?:W\/)?"v(\d{1,15})"/.exec(joined(value));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** A `Last-Event-ID` as a version number, or undefined when absent or not a number. */
export function parseLastEventId(value: HeaderValue): number | undefined {
  const text = joined(value).trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** The ETag of a job version. */
export const etagOf = (version: number): string => `"v${version}"`;
