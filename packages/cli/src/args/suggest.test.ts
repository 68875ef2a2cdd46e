import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['timeout', 'timeout', 0],
    ['timout', 'timeout', 1],
    ['tiemout', 'timeout', 1],
    ['kitten', 'sitting', 3],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        const d = editDistance(a, b);
        return d === editDistance(b, a) && (d === 0) === (a === b);
      }),
    );
  });
});

describe('closest', () => {
  const flags = ['timeout', 'transport', 'base-url', 'api-key', 'json'];
  it.each([
    ['timout', 'timeout'],
    ['trasnport', 'transport'],
    ['base', 'base-url'],
    ['baseurl', 'base-url'],
    ['jsno', 'json'],
    ['verbose', undefined],
    ['t', undefined],
  ])('%j → %j', (typed, expected) => {
    expect(closest(typed, flags)).toBe(expected);
  });
});
