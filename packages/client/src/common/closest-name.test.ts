import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest-name.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['timeout', 'timeout', 0],
    ['timout', 'timeout', 1],
    ['tiemout', 'timeout', 1],
    ['jsno', 'json', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('is symmetric, zero only for equal strings, and at most the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        const d = editDistance(a, b);
        return d === editDistance(b, a) && (d === 0) === (a === b) && d <= Math.max(a.length, b.length);
      }),
    );
  });
});

describe('closestName', () => {
  const options = ['timeoutMs', 'requestTimeoutMs', 'transport', 'baseUrl', 'apiKey', 'headers'];
  it.each([
    ['timeoutMS', 'timeoutMs'],
    ['timeout', 'timeoutMs'],
    ['trasnport', 'transport'],
    ['baseURL', 'baseUrl'],
    ['base_url', 'baseUrl'],
    ['api_key', 'apiKey'],
    ['header', 'headers'],
    ['verbose', undefined],
    ['t', undefined],
    ['tranpsort', 'transport'],
  ])('%j → %j', (typed, expected) => {
    expect(closestName(typed, options)).toBe(expected);
  });

  it('finds the camelCase key for a snake_case one', () => {
    const keys = ['sourceLanguage', 'targetLanguage', 'videoDurationSeconds', 'lipSync', 'simulate'];
    expect(closestName('source_language', keys)).toBe('sourceLanguage');
    expect(closestName('video_duration_seconds', keys)).toBe('videoDurationSeconds');
    expect(closestName('lip_sync', keys)).toBe('lipSync');
  });
});
