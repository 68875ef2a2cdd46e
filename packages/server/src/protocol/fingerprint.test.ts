import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyFingerprint, canonicalJson } from './fingerprint.js';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [{ d: 2, c: null }] }, '{"a":[{"c":null,"d":2}],"b":1}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[3, 'a', true], '[3,"a",true]'],
  ])('%j -> %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('reads back as the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('bodyFingerprint', () => {
  it('does not depend on the order of fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(bodyFingerprint(reversed)).toBe(bodyFingerprint(object));
      }),
    );
  });

  it('tells different bodies apart', () => {
    const body = { source_language: 'en', target_language: 'es', video_duration_seconds: 90 };
    expect(bodyFingerprint(body)).not.toBe(bodyFingerprint({ ...body, video_duration_seconds: 91 }));
    expect(bodyFingerprint(body)).toMatch(/^[0-9a-f]{64}$/);
  });
});
