/**
 * `--protocol heygen-v2|heygen-v3` on create, status and wait: HeyGen's body from the flags (pure), and
 * the built CLI against the simulator's HeyGen routes, the key from TRANSLATION_STATUS_API_KEY.
 */
import { startServer, type RunningServer } from '@translation-status/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../args/usage-error.js';
import { buildCli } from '../test-support/build.js';
import { cleanEnv, runCli } from '../test-support/child.js';
import { heygenInput, languages, type HeyGenFlags } from './heygen-input.js';

const FLAGS: HeyGenFlags = {
  target: 'Spanish (Spain),German',
  videoUrl: 'https://videos.test/a.mp4',
  mode: undefined,
  callbackUrl: undefined,
  simulate: {},
  unsupported: [],
};

describe('heygenInput', () => {
  it('splits languages on commas outside parentheses', () => {
    expect(languages('Chinese (Cantonese, Traditional), German,')).toEqual([
      'Chinese (Cantonese, Traditional)',
      'German',
    ]);
  });

  it('builds the v3 body, one language each', () => {
    expect(heygenInput('heygen-v3', { ...FLAGS, mode: 'precision', simulate: { durationMs: 5 } })).toEqual({
      video: { type: 'url', url: 'https://videos.test/a.mp4' },
      output_languages: ['Spanish (Spain)', 'German'],
      mode: 'precision',
      simulate: { duration_ms: 5 },
    });
  });

  it.each([
    ['v2 with two languages', 'heygen-v2', {}, /one language/],
    ['no --video-url', 'heygen-v3', { videoUrl: undefined }, /--video-url is required/],
    ['--mode on v2', 'heygen-v2', { target: 'German', mode: 'speed' }, /--mode needs --protocol heygen-v3/],
    ['a flag of our protocol', 'heygen-v3', { unsupported: ['--duration'] }, /--duration has no meaning/],
  ] as const)('refuses %s', (_name, protocol, change, message) => {
    expect(() => heygenInput(protocol, { ...FLAGS, ...change })).toThrow(UsageError);
    expect(() => heygenInput(protocol, { ...FLAGS, ...change })).toThrow(message);
  });
});

describe('the CLI against the HeyGen routes', () => {
  let server: RunningServer;
  const env = cleanEnv({ TRANSLATION_STATUS_API_KEY: 'hg_cli_key' });

  beforeAll(async () => {
    await buildCli();
    server = await startServer({ port: 0, logLevel: 'silent', apiKeys: ['hg_cli_key'] });
  }, 120_000);

  afterAll(async () => {
    await server.close();
  });

  it('create prints one id per language; status and wait read them', async () => {
    const base = ['--protocol', 'heygen-v3', '--base-url', server.url];
    const created = await runCli(
      [
        'create',
        '--target',
        'Spanish (Spain),German',
        '--video-url',
        'https://v.test/a.mp4',
        '--simulate-duration-ms',
        '800',
        ...base,
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const ids = created.stdout.trim().split('\n');
    expect(ids).toHaveLength(2);
    const status = await runCli(['status', ids[0] ?? '', ...base], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/pending|running|completed/);
    const waited = await runCli(['wait', ids[1] ?? '', '--timeout', '30s', ...base], env);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(
      /completed in .* via poll: https:\/\/video\.heygen-simulator\.invalid\/.+\.mp4$/m,
    );
  });

  it('a wrong key exits at once with the reason, never the key', async () => {
    const run = await runCli(
      ['wait', 'job_x', '--protocol', 'heygen-v3', '--base-url', server.url, '--api-key', 'wrong-key'],
      cleanEnv(),
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('401');
    expect(run.stderr).not.toContain('wrong-key');
  });
});
