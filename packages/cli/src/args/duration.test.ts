import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['1500', 1500],
    ['1.5s', 1500],
    [' 2m ', 120_000],
    ['2h30m', 9_000_000],
    ['1m30s', 90_000],
    ['1h0m5s', 3_605_000],
    ['1s500ms', 1500],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '-5s', '0', '0s', '10 m', '1d', 's', '1e3', '30m2h', '1m1m', '5m-3s', 'h'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('reads back any hours and minutes it is given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 59 }),
        (h, m) => parseDuration(`${h}h${m}m`) === h * 3_600_000 + m * 60_000,
      ),
    );
  });

  it('reads back any whole number of seconds it is given', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (s) => parseDuration(`${s}s`) === s * 1000),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [450.4, '450ms'],
    [1234, '1.2s'],
    [45_000, '45s'],
    [185_000, '3m05s'],
    [3_720_000, '1h02m'],
    [-1, '?'],
    [Infinity, '?'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
