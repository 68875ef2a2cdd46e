import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseEventsLink,
  parsePollAfterMs,
  parsePreferenceAppliedWait,
  parseRetryAfter,
  readHints,
} from './hints.js';
import { parseStatus } from './status.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['5', 5_000],
    [' 12 ', 12_000],
    ['1.5', 1_500],
    ['Mon, 23 Nov 2026 10:00:30 GMT', 30_000],
    ['Monday, 23-Nov-26 10:00:30 GMT', 30_000],
    ['Mon Nov 23 10:00:30 2026', 30_000],
    ['Mon, 23 Nov 2026 09:00:00 GMT', 0],
    ['99999999', 86_400_000],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['-1'],
    ['soon'],
    ['1e3'],
    ['Nov 23 2026'],
    ['0x10'],
    ['Mon, garbage'],
  ])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('is never negative or NaN, whatever the header', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 4_102_444_800_000 }), (value, now) => {
        const ms = parseRetryAfter(value, now);
        if (ms !== undefined) {
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(ms)).toBe(true);
        }
      }),
    );
  });

  it('is never negative for any HTTP-date, past or future', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }),
        (date) => {
          const ms = parseRetryAfter(date.toUTCString(), NOW);
          expect(ms).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('parsePollAfterMs', () => {
  it.each([
    ['250', 250],
    ['250.6', 251],
    [' 0 ', 0],
    ['-1', undefined],
    ['abc', undefined],
    [null, undefined],
  ])('reads %j as %j', (value, ms) => {
    expect(parsePollAfterMs(value)).toBe(ms);
  });
});

describe('parseEventsLink', () => {
  const base = 'http://localhost:8080/jobs/job_1';
  it.each([
    [
      '</jobs/job_1/events>; rel="events"; type="text/event-stream"',
      'http://localhost:8080/jobs/job_1/events',
    ],
    ['<events>; rel=events', 'http://localhost:8080/jobs/events'],
    ['</a>; rel="next", </jobs/job_1/events>; rel="events"', 'http://localhost:8080/jobs/job_1/events'],
    ['<https://other.example/s>; rel="alternate events"', 'https://other.example/s'],
    ['<https://other.example/s>; REL="Events"', 'https://other.example/s'],
    ['</a>; rel="next"', undefined],
    ['garbage', undefined],
    [null, undefined],
  ])('reads %j', (header, url) => {
    expect(parseEventsLink(header, base)).toBe(url);
  });
});

describe('parsePreferenceAppliedWait', () => {
  it.each([
    ['wait=10', 10],
    ['respond-async, wait=30', 30],
    ['WAIT = 5', 5],
    ['nowait=5', undefined],
    ['return=minimal', undefined],
    [null, undefined],
  ])('reads %j as %j', (value, seconds) => {
    expect(parsePreferenceAppliedWait(value)).toBe(seconds);
  });
});

describe('readHints', () => {
  it('gathers every hint of a response', () => {
    const parsed = parseStatus({ id: 'job_1', result: 'pending', eta_ms: 41_000 });
    const headers = new Headers({
      'retry-after': '33',
      'poll-after-ms': '32800',
      'status-capabilities': 'long-poll; max-wait=30, events, batch',
      link: '</jobs/job_1/events>; rel="events"',
      'preference-applied': 'wait=30',
    });
    const hints = readHints(headers, parsed.ok ? parsed.status : undefined, NOW, 'http://h:1/jobs/job_1');
    expect(hints).toEqual({
      retryAfterMs: 33_000,
      pollAfterMs: 32_800,
      etaMs: 41_000,
      capabilities: {
        longPoll: true,
        maxWaitS: 30,
        events: true,
        heartbeatMs: undefined,
        batch: true,
        multiEvents: false,
        maxIds: undefined,
      },
      eventsUrl: 'http://h:1/jobs/job_1/events',
      preferenceAppliedWaitS: 30,
    });
  });

  it('reports nothing for a plain server', () => {
    expect(readHints(new Headers(), undefined, NOW, 'http://h/status')).toEqual({
      retryAfterMs: undefined,
      pollAfterMs: undefined,
      etaMs: undefined,
      capabilities: {
        longPoll: false,
        maxWaitS: undefined,
        events: false,
        heartbeatMs: undefined,
        batch: false,
        multiEvents: false,
        maxIds: undefined,
      },
      eventsUrl: undefined,
      preferenceAppliedWaitS: undefined,
    });
  });
});
