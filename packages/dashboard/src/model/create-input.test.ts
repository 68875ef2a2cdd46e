import { describe, expect, it } from 'vitest';
import { toCreateJobInput, type FormValues } from './create-input.js';

const form: FormValues = {
  sourceLanguage: ' en ',
  targetLanguage: 'es',
  videoDurationSeconds: '90',
  lipSync: true,
  durationMs: '',
  outcome: '',
  errorCode: '',
};

describe('toCreateJobInput', () => {
  it('sends the fields as typed, without a simulate block when none of it is set', () => {
    expect(toCreateJobInput(form)).toEqual({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 90,
      lipSync: true,
    });
  });

  it('sends the simulation fields that are set', () => {
    expect(
      toCreateJobInput({ ...form, durationMs: '3000', outcome: 'error', errorCode: 'render_failed' })
        .simulate,
    ).toEqual({ durationMs: 3000, outcome: 'error', errorCode: 'render_failed' });
  });

  it('leaves the checking to the server: an empty number is sent as null, not guessed', () => {
    const input = toCreateJobInput({ ...form, videoDurationSeconds: ' ' });
    expect(JSON.parse(JSON.stringify({ v: input.videoDurationSeconds }))).toEqual({ v: null });
    expect(toCreateJobInput({ ...form, videoDurationSeconds: '-5' }).videoDurationSeconds).toBe(-5);
  });
});
