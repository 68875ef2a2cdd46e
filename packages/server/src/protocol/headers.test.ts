import { describe, expect, it } from 'vitest';
import { etagOf, parseIfNoneMatch, parseLastEventId, parsePreferWait } from './headers.js';

describe('parsePreferWait', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['wait=10', 10],
    ['WAIT = 5', 5],
    ['respond-async, wait=30', 30],
    ['handling=lenient; foo=bar, wait=7;x=y', 7],
    ['wait="12"', 12],
    [['return=minimal', 'wait=3'], 3],
    ['wait=abc', undefined],
    ['wait=-1', undefined],
    ['wait', undefined],
    ['waiting=4', undefined],
    ['wait=2.5', undefined],
  ])('%j -> %j', (header, expected) => {
    expect(parsePreferWait(header)).toBe(expected);
  });
});

describe('parseIfNoneMatch', () => {
  it.each([
    [undefined, undefined],
    ['"v4"', 4],
    ['W/"v12"', 12],
    ['"x", "v3"', 3],
    ['*', undefined],
    ['v4', undefined],
  ])('%j -> %j', (header, expected) => {
    expect(parseIfNoneMatch(header)).toBe(expected);
  });

  it('reads back what etagOf writes', () => {
    expect(parseIfNoneMatch(etagOf(9))).toBe(9);
  });
});

describe('parseLastEventId', () => {
  it.each([
    [undefined, undefined],
    ['3', 3],
    [' 10 ', 10],
    ['abc', undefined],
    ['', undefined],
  ])('%j -> %j', (header, expected) => {
    expect(parseLastEventId(header)).toBe(expected);
  });
});
