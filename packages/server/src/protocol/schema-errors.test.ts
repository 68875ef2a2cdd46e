import { describe, expect, it } from 'vitest';
import { formatSchemaErrors } from './schema-errors.js';

describe('formatSchemaErrors', () => {
  it.each([
    [{ keyword: 'required', instancePath: '', params: { missingProperty: 'x' } }, 'body.x is required'],
    [
      { keyword: 'additionalProperties', instancePath: '/simulate', params: { additionalProperty: 'y' } },
      'body.simulate.y is not a known field',
    ],
    [{ keyword: 'type', instancePath: '/a', params: { type: 'number' } }, 'body.a must be a number'],
    [{ keyword: 'type', instancePath: '/a', params: { type: 'integer' } }, 'body.a must be an integer'],
    [
      { keyword: 'pattern', instancePath: '/source_language', params: { pattern: 'x' } },
      "body.source_language must be a language code like 'en' or 'pt-BR'",
    ],
    [
      { keyword: 'exclusiveMinimum', instancePath: '/d', params: { limit: 0 } },
      'body.d must be greater than 0',
    ],
    [{ keyword: 'maximum', instancePath: '/d', params: { limit: 9 } }, 'body.d must be at most 9'],
    [
      { keyword: 'enum', instancePath: '/o', params: { allowedValues: ['a', 'b'] } },
      'body.o must be one of a, b',
    ],
    [{ keyword: 'weird', instancePath: '/o', params: {}, message: 'is odd' }, 'body.o is odd'],
  ])('%j -> %s', (error, expected) => {
    expect(formatSchemaErrors([error], 'body')).toBe(expected);
  });

  it('joins every error and drops duplicates', () => {
    const e = { keyword: 'required', instancePath: '', params: { missingProperty: 'x' } };
    const f = { keyword: 'type', instancePath: '/y', params: { type: 'boolean' } };
    expect(formatSchemaErrors([e, f, e], 'body')).toBe('body.x is required; body.y must be a boolean');
  });
});
