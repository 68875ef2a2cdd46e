/**
 * `Status-Capabilities`: what the server offers besides plain reads. Pure; unknown tokens are ignored.
 */
import { wholeParam } from './header-params.js';
/** What the server says it can do (`Status-Capabilities`). A plain server offers nothing. */
export interface Capabilities {
  /** `Prefer: wait` is honoured. */
  readonly longPoll: boolean;
  /** The server's cap on `Prefer: wait`, in seconds. */
  readonly maxWaitS: number | undefined;
  /** Its cap on holds that wake only on the ending (`long-poll; max-result-wait=N`), when announced. */
  readonly maxResultWaitS: number | undefined;
  /** An SSE stream exists for each job. */
  readonly events: boolean;
  /** The interval of the stream's heartbeat comments (`events; heartbeat-ms=N`), when announced. */
  readonly heartbeatMs: number | undefined;
  /** `GET /jobs?ids=` exists. */
  readonly batch: boolean;
  /** `GET /events?ids=` exists: one stream for many jobs (`multi-events; max-ids=N`). */
  readonly multiEvents: boolean;
  /** The most ids one multiplexed stream takes, when announced. */
  readonly maxIds: number | undefined;
}

export const NO_CAPABILITIES: Capabilities = Object.freeze({
  longPoll: false,
  maxWaitS: undefined,
  maxResultWaitS: undefined,
  events: false,
  heartbeatMs: undefined,
  batch: false,
  multiEvents: false,
  maxIds: undefined,
});

/** A stream's heartbeat interval when the server announces none. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * `long-poll; max-wait=30; max-result-wait=300, events; heartbeat-ms=15000, batch, multi-events;
 * max-ids=100`: spaces, case and unknown entries tolerated. A heartbeat or an id limit of 0 counts as
 * none announced.
 */
export function parseCapabilities(header: string | null | undefined): Capabilities {
  if (header === null || header === undefined) return NO_CAPABILITIES;
  let longPoll = false;
  let maxWaitS: number | undefined;
  let maxResultWaitS: number | undefined;
  let events = false;
  let heartbeatMs: number | undefined;
  let batch = false;
  let multiEvents = false;
  let maxIds: number | undefined;
  for (const item of header.split(',')) {
    const name = item.split(';')[0]?.trim().toLowerCase();
    if (name === 'events') {
      events = true;
      heartbeatMs = wholeParam(item, 'heartbeat-ms', 1);
    } else if (name === 'batch') batch = true;
    else if (name === 'multi-events') {
      multiEvents = true;
      maxIds = wholeParam(item, 'max-ids', 1);
    } else if (name === 'long-poll') {
      longPoll = true;
      maxWaitS = wholeParam(item, 'max-wait');
      maxResultWaitS = wholeParam(item, 'max-result-wait');
    }
  }
  return { longPoll, maxWaitS, maxResultWaitS, events, heartbeatMs, batch, multiEvents, maxIds };
}

/** The capabilities a response announces (none when it has no header). */
export function readCapabilities(headers: Headers): Capabilities {
  return parseCapabilities(headers.get('status-capabilities'));
}
