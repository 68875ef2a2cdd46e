/**
 * An incremental Server-Sent Events parser (WHATWG HTML, "event stream interpretation").
 * Pure: feed it decoded text in any chunking and it returns the complete events so far.
 */

/** The media type of an event stream: the request's `accept`, and the answer's `content-type`. */
export const EVENT_STREAM = 'text/event-stream';
export interface ServerSentEvent {
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
  /** The last event id seen on the stream so far (it persists across events, as the spec says). */
  readonly id: string | undefined;
}

export interface SseParser {
  /** Parses one more chunk; returns the events it completed (each with the last event id so far). */
  feed(chunk: string): ServerSentEvent[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let fresh = true;
  let data: string[] = [];
  let eventType = '';
  let lastEventId: string | undefined;

  return {
    feed(chunk) {
      const out: ServerSentEvent[] = [];
      buffer += chunk;
      if (fresh && buffer !== '') {
        fresh = false;
        buffer = buffer.replace(/^\uFEFF/, '');
      }
      // Lines end in CRLF, LF or CR. A trailing CR may be the first half of a CRLF split across chunks.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        // `field: value` (one space after the colon is not the value's), or a bare field name.
        const [, field, value = ''] = /^([^:]*):? ?(.*)$/s.exec(line) ?? [];
        if (line === '') {
          if (data.length > 0)
            out.push({ event: eventType || 'message', data: data.join('\n'), id: lastEventId });
          data = [];
          eventType = '';
        } else if (field === 'data') data.push(value);
        else if (field === 'event') eventType = value;
        // The spec ignores ids containing NUL, so a hostile id cannot poison Last-Event-ID.
        else if (field === 'id' && !value.includes('\0')) lastEventId = value;
        // Anything else is a comment (`:` first, e.g. the server's heartbeat) or a field the client
        // does not use (`retry:`: reconnecting is the retry policy's to time): ignored.
      }
      return out;
    },
  };
}
