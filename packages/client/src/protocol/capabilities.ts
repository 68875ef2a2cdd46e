/**
 * `Status-Capabilities`: what the server offers besides plain reads. Pure; unknown tokens are ignored.
 */
/** What the server says it can do (`Status-Capabilities`). A plain server offers nothing. */
export interface Capabilities {
  /** `Prefer: wait` is honoured. */
  readonly longPoll: boolean;
  /** The server's cap on `Prefer: wait`, in seconds. */
  readonly maxWaitS: number | undefined;
  /** An SSE stream exists for each job. */
  readonly events: boolean;
  /** `GET /jobs?ids=` exists. */
  readonly batch: boolean;
}

export const NO_CAPABILITIES: Capabilities = Object.freeze({
  longPoll: false,
  maxWaitS: undefined,
  events: false,
  batch: false,
});

/** `long-poll; max-wait=30, events, batch`: spaces, case and unknown tokens tolerated. */
export function parseCapabilities(header: string | null | undefined): Capabilities {
  if (header === null || header === undefined) return NO_CAPABILITIES;
  let longPoll = false;
  let maxWaitS: number | undefined;
  let events = false;
  let batch = false;
  for (const item of header.split(',')) {
    const [name = '', ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    if (name === 'events') events = true;
    else if (name === 'batch') batch = true;
    else if (name === 'long-poll') {
      longPoll = true;
      for (const param of params) {
        const [key, raw] = param.split('=').map((part) => part.trim());
        const seconds = raw === undefined ? NaN : Number(raw.replace(/^"|"$/g, ''));
        if (key === 'max-wait' && Number.isFinite(seconds) && seconds >= 0) maxWaitS = Math.floor(seconds);
      }
    }
  }
  return { longPoll, maxWaitS, events, batch };
}

/** The capabilities a response announces (none when it has no header). */
export function readCapabilities(headers: Headers): Capabilities {
  return parseCapabilities(headers.get('status-capabilities'));
}
