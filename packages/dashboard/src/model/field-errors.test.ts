import { describe, expect, it } from 'vitest';
import { fieldErrors } from './field-errors.js';

describe('fieldErrors', () => {
  it("places each of the server's reasons beside the field it names", () => {
    const { fields, other } = fieldErrors(
      'The request is invalid: body.target_language is required; body.video_duration_seconds must be greater than 0; body.simulate.duration_ms must be an integer.',
    );
    expect(Object.fromEntries(fields)).toEqual({
      target_language: ['target_language is required'],
      video_duration_seconds: ['video_duration_seconds must be greater than 0'],
      'simulate.duration_ms': ['simulate.duration_ms must be an integer'],
    });
    expect(other).toEqual([]);
  });

  it('keeps several reasons for one field, and cross-field rules under the first field they name', () => {
    const { fields } = fieldErrors(
      'The request is invalid: body.target_language must differ from body.source_language; body.target_language must be a string.',
    );
    expect(fields.get('target_language')).toEqual([
      'target_language must differ from source_language',
      'target_language must be a string',
    ]);
  });

  it('keeps what names no field apart', () => {
    expect(fieldErrors('The body must be application/json, not text/plain.')).toEqual({
      fields: new Map(),
      other: ['The body must be application/json, not text/plain'],
    });
  });
});
