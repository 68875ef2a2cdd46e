/** Bad arguments to the public methods fail at once, before any request, naming every problem. */
import { describe, expect, it } from 'vitest';
import { TranslationClient } from '../client.js';
import { ConfigurationError } from '../errors/index.js';
import { json } from '../test-support/fake-fetch.js';
import { BASE, harness } from '../test-support/scenario.js';

function setup(): { client: TranslationClient; requests: () => number } {
  const h = harness(() => json({ id: 'job_1', result: 'completed' }));
  const client = new TranslationClient({ baseUrl: BASE, fetch: h.fetch, clock: h.clock, logLevel: 'silent' });
  return { client, requests: () => h.requests.length };
}

async function refusal(call: () => unknown): Promise<ConfigurationError> {
  const error: unknown = await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(error instanceof ConfigurationError))
    throw new Error(`expected a ConfigurationError, got ${String(error)}`);
  return error;
}

const untyped = (value: unknown): never => value as never;

describe('public arguments', () => {
  it.each([
    ['waitForCompletion(12345)', (c: TranslationClient) => c.waitForCompletion(untyped(12345)), 'jobId'],
    ["waitForCompletion('')", (c: TranslationClient) => c.waitForCompletion(''), 'jobId'],
    ['getStatus({})', (c: TranslationClient) => c.getStatus(untyped({})), 'jobId'],
    ["waitForAll('job_x')", (c: TranslationClient) => c.waitForAll(untyped('job_x')), 'jobIds'],
    ["waitForAll(['a', 7])", (c: TranslationClient) => c.waitForAll(untyped(['a', 7])), 'jobIds[1]'],
    ['cancelJob(undefined)', (c: TranslationClient) => c.cancelJob(untyped(undefined)), 'jobId'],
    ['createJob(undefined)', (c: TranslationClient) => c.createJob(untyped(undefined)), 'input'],
  ])('%s is a ConfigurationError naming %s, and nothing is sent', async (_, call, option) => {
    const { client, requests } = setup();
    const error = await refusal(() => call(client));
    expect(error.option).toBe(option);
    expect(requests()).toBe(0);
  });

  it("waitForAll('job_x') shows the array it meant", async () => {
    const error = await refusal(() => setup().client.waitForAll(untyped('job_x')));
    expect(error.message).toContain('["job_x"]');
  });

  it('watch(5) throws at the call, not at the first step of the loop', () => {
    const { client } = setup();
    expect(() => client.watch(untyped(5))).toThrow(ConfigurationError);
  });

  it('per-call options accept only the keys of that call', async () => {
    const { client } = setup();
    const error = await refusal(() => client.getStatus('job_1', untyped({ onStatus: () => undefined })));
    expect(error.option).toBe('onStatus');
    expect(error.issues[0]?.unknown).toBe(true);
    expect(() => client.watch('job_1', untyped({ onStatus: () => undefined }))).toThrow(/onStatus: unknown/);
  });

  it('a bad id and bad options are reported together', async () => {
    const error = await refusal(() =>
      setup().client.waitForCompletion(untyped(42), untyped({ timeoutMS: 1 })),
    );
    expect(error.issues.map((i) => i.option)).toEqual(['jobId', 'timeoutMS']);
  });
});

describe('createJob input', () => {
  it('snake_case keys are unknown, with the camelCase key suggested, and nothing is sent', async () => {
    const { client, requests } = setup();
    const error = await refusal(() =>
      client.createJob(
        untyped({
          source_language: 'en',
          target_language: 'es',
          video_duration_seconds: 90,
          lip_sync: false,
        }),
      ),
    );
    expect(error.issues.filter((i) => i.unknown === true).map((i) => [i.option, i.suggestion])).toEqual([
      ['input.source_language', 'sourceLanguage'],
      ['input.target_language', 'targetLanguage'],
      ['input.video_duration_seconds', 'videoDurationSeconds'],
      ['input.lip_sync', 'lipSync'],
    ]);
    expect(error.message).toContain('input.source_language: unknown (did you mean sourceLanguage?)');
    expect(requests()).toBe(0);
  });

  it.each([
    [{ sourceLanguage: '', targetLanguage: 'es', videoDurationSeconds: 90 }, 'input.sourceLanguage'],
    [
      { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: '90' },
      'input.videoDurationSeconds',
    ],
    [
      { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: Number.NaN },
      'input.videoDurationSeconds',
    ],
    [{ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 9, lipSync: 'no' }, 'input.lipSync'],
    [
      { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 9, simulate: { delay: 1 } },
      'input.simulate.delay',
    ],
  ])('%j is refused, naming %s', async (input, option) => {
    const error = await refusal(() => setup().client.createJob(untyped(input)));
    expect(error.option).toBe(option);
  });

  it('a number out of range is sent: the server decides the range and its answer names it', async () => {
    const { client, requests } = setup();
    await client.createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: -5 });
    expect(requests()).toBe(1);
  });

  it('a valid input is sent', async () => {
    const { client, requests } = setup();
    await client.createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 9 });
    expect(requests()).toBe(1);
  });
});
