import { describe, expect, it } from 'vitest';
import { headerParam, wholeParam } from './header-params.js';

describe('headerParam', () => {
  it.each<[string, string, string | undefined]>([
    ['long-poll; max-wait=30', 'max-wait', '30'],
    ['events ;HEARTBEAT-MS = "5000" ', 'heartbeat-ms', '5000'],
    ['respond-async, wait=10', 'wait', '10'],
    ['wait=10', 'wait', '10'],
    ['; rel="alternate events"; type="text/event-stream"', 'rel', 'alternate events'],
    ['; rel=events', 'rel', 'events'],
    ['nowait=5', 'wait', undefined],
    ['long-poll', 'max-wait', undefined],
    ['max-wait=', 'max-wait', ''],
  ])('in %j, %s is %j', (text, key, value) => {
    expect(headerParam(text, key)).toBe(value);
  });
});

describe('wholeParam', () => {
  it.each<[string, number, number | undefined]>([
    ['x; n=30', 0, 30],
    ['x; n="20"', 0, 20],
    ['x; n=1.9', 0, 1],
    ['x; n=0', 0, 0],
    ['x; n=0', 1, undefined],
    ['x; n=-5', 0, undefined],
    ['x; n=abc', 0, undefined],
    ['x; n=Infinity', 0, undefined],
    ['x', 0, undefined],
  ])('reads %j (at least %d) as %j', (text, least, value) => {
    expect(wholeParam(text, 'n', least)).toBe(value);
  });
});
