import { describe, expect, it } from 'vitest';
import { multiEventsUrl, readMissing, resumePoint } from './multi-events.js';

describe('multiplexed events', () => {
  it.each<[readonly string[], boolean, string]>([
    [['a'], false, 'https://api.test/v1/events?ids=a'],
    [['a', 'b c'], false, 'https://api.test/v1/events?ids=a%2Cb+c'],
    [['a', 'b'], true, 'https://api.test/v1/events?ids=a%2Cb&wake=result'],
  ])('the stream of %j (wake=result: %s) is %s', (ids, wakeOnResult, url) => {
    expect(multiEventsUrl('https://api.test/v1/', ids, wakeOnResult)).toBe(url);
  });

  it.each<[readonly (number | undefined)[], string | undefined]>([
    [[undefined, undefined], undefined],
    [[3, undefined, 7], '3,0,7'],
    [[0], '0'],
  ])('resumes %j from %j', (versions, point) => {
    expect(resumePoint(versions)).toBe(point);
  });

  it.each<[unknown, ReturnType<typeof readMissing>]>([
    [
      { id: 'job_x', error: { code: 'job_not_found', message: 'No job job_x.' } },
      { id: 'job_x', code: 'job_not_found', message: 'No job job_x.' },
    ],
    [{ id: 'job_x' }, { id: 'job_x', code: 'job_not_found', message: undefined }],
    [{ error: { code: 'job_not_found' } }, undefined],
    ['job_x', undefined],
  ])('reads the missing event %j', (json, missing) => {
    expect(readMissing(json)).toEqual(missing);
  });
});
