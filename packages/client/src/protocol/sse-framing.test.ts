import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-framing.js';

describe('createSseParser', () => {
  it('parses an event with a type, an id and one data line', () => {
    const parser = createSseParser();
    expect(parser.feed('id: 3\nevent: status\ndata: {"result":"pending"}\n\n')).toEqual([
      { event: 'status', data: '{"result":"pending"}', id: '3' },
    ]);
  });

  it('joins several data lines with a newline', () => {
    expect(createSseParser().feed('data: a\ndata: b\n\n')).toEqual([
      { event: 'message', data: 'a\nb', id: undefined },
    ]);
  });

  it('ignores comments such as heartbeats', () => {
    expect(createSseParser().feed(': heartbeat\n\n: another\n')).toEqual([]);
  });

  it('ignores the retry field (reconnects are timed by the retry policy)', () => {
    expect(createSseParser().feed('retry: 1500\n\ndata: x\n\n')).toEqual([
      { event: 'message', data: 'x', id: undefined },
    ]);
  });

  it('keeps the last id for later events that carry none', () => {
    const parser = createSseParser();
    const events = parser.feed('id: 7\ndata: x\n\ndata: y\n\n');
    expect(events.map((e) => e.id)).toEqual(['7', '7']);
  });

  it('ignores an id that contains NUL', () => {
    const parser = createSseParser();
    expect(parser.feed('id: 1\n\nid: a\0b\ndata: z\n\n')).toEqual([{ event: 'message', data: 'z', id: '1' }]);
  });

  it('does not dispatch an event whose blank line has not arrived yet', () => {
    const parser = createSseParser();
    expect(parser.feed('data: partial\n')).toEqual([]);
    expect(parser.feed('\n')).toEqual([{ event: 'message', data: 'partial', id: undefined }]);
  });

  it('accepts CR, LF and CRLF line endings, including a CRLF split across chunks', () => {
    const parser = createSseParser();
    expect(parser.feed('data: a\r')).toEqual([]);
    expect(parser.feed('\n\r\ndata: b\r\rdata: c\n\n')).toEqual([
      { event: 'message', data: 'a', id: undefined },
      { event: 'message', data: 'b', id: undefined },
      { event: 'message', data: 'c', id: undefined },
    ]);
  });

  it('keeps line and paragraph separators inside a value (JSON strings may hold them)', () => {
    expect(createSseParser().feed('data: {"a":"x\u2028y\u2029z"}\n\n')).toEqual([
      { event: 'message', data: '{"a":"x\u2028y\u2029z"}', id: undefined },
    ]);
  });

  it('strips a leading byte order mark', () => {
    expect(createSseParser().feed('\uFEFFdata: x\n\n')).toEqual([
      { event: 'message', data: 'x', id: undefined },
    ]);
  });

  it('yields the same events however the stream is chunked', () => {
    const stream =
      'retry: 1000\n\nid: 1\nevent: status\ndata: {"a":1}\n\n: hb\n\nid: 2\r\nevent: status\r\ndata: {"b":2}\r\n\r\n';
    const whole = createSseParser().feed(stream);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const parser = createSseParser();
        const events = [];
        let from = 0;
        for (const point of [...points, stream.length]) {
          events.push(...parser.feed(stream.slice(from, point)));
          from = point;
        }
        expect(events).toEqual(whole);
      }),
    );
    expect(whole).toHaveLength(2);
  });
});
