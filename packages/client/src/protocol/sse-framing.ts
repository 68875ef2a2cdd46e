/**
 * An incremental Server-Sent Events parser (WHATWG HTML, "event stream interpretation").
 * Pure: feed it decoded text in any chunking and it returns the complete events so far.
 */
export interface ServerSentEvent {
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
  /** The last event id seen on the stream so far (it persists across events, as the spec says). */
  readonly id: string | undefined;
}

export interface SseParser {
  /** Parses one more chunk; returns the events it completed. */
  feed(chunk: string): ServerSentEvent[];
  /** The `retry:` value the server asked for, in ms, if any. */
  readonly retryMs: number | undefined;
  /** The last event id, to send back as `Last-Event-ID` on reconnect. */
  readonly lastEventId: string | undefined;
}

export function createSseParser(): SseParser {
  let buffer = '';
  let data: string[] = [];
  let eventType = '';
  let lastEventId: string | undefined;
  let retryMs: number | undefined;
  let sawFieldInEvent = false;
  let strippedBom = false;

  const dispatch = (out: ServerSentEvent[]): void => {
    if (data.length > 0) {
      out.push({ event: eventType === '' ? 'message' : eventType, data: data.join('\n'), id: lastEventId });
    }
    data = [];
    eventType = '';
    sawFieldInEvent = false;
  };

  const processLine = (line: string, out: ServerSentEvent[]): void => {
    if (line === '') {
      if (sawFieldInEvent || data.length > 0) dispatch(out);
      return;
    }
    if (line.startsWith(':')) return; // a comment, e.g. the server's heartbeat
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    sawFieldInEvent = true;
    switch (field) {
      case 'data':
        data.push(value);
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        // The spec ignores ids containing NUL, so a hostile id cannot poison Last-Event-ID.
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  };

  return {
    feed(chunk) {
      const out: ServerSentEvent[] = [];
      buffer += chunk;
      if (!strippedBom && buffer.length > 0) {
        if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
        strippedBom = true;
      }
      // Lines end in CRLF, LF or CR. A trailing CR may be the first half of a CRLF split across chunks.
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (match === null) break;
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        processLine(buffer.slice(0, match.index), out);
        buffer = buffer.slice(match.index + match[0].length);
      }
      return out;
    },
    get retryMs() {
      return retryMs;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
