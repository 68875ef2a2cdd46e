import { describe, expect, it } from 'vitest';
import { didYouMean } from './suggest.js';

describe('didYouMean', () => {
  const flags = ['timeout', 'transport', 'base-url', 'api-key', 'json'];
  it.each([
    ['timout', ' Did you mean --timeout?'],
    ['trasnport', ' Did you mean --transport?'],
    ['base', ' Did you mean --base-url?'],
    ['baseurl', ' Did you mean --base-url?'],
    ['jsno', ' Did you mean --json?'],
    ['verbose', ''],
    ['t', ''],
  ])('%j → %j', (typed, expected) => {
    expect(didYouMean(typed, flags, '--')).toBe(expected);
  });
});
