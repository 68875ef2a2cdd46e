/**
 * The server started the way a user starts it, `translation-status serve --port 0`, in a child
 * process; the client reads the printed URL and waits on it.
 */
import { JobFailedError, TranslationClient } from '@translation-status/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHandles, buildCli, cliServer, expectNoLeakedHandles, openRequests, story } from './support.js';

let handlesBefore: Record<string, number>;
let server: Awaited<ReturnType<typeof cliServer>>;
let client: TranslationClient;

beforeAll(async () => {
  await buildCli();
  handlesBefore = activeHandles();
  server = await cliServer(['--delay', '1500', '--time-scale', '0.002']);
  client = new TranslationClient({ baseUrl: server.url });
}, 120_000);

afterAll(async () => {
  if (server.cli.child.exitCode === null) server.cli.child.kill('SIGKILL');
  await server.cli.exited;
  await expectNoLeakedHandles(handlesBefore);
});

describe('translation-status serve in a child process', () => {
  it('prints a URL the client can use', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the default job at GET /status to completion', async () => {
    const s = story('serve: default job');
    const { status, stats } = await client.waitForCompletion(undefined, { ...s.callbacks });
    s.log(`done via ${stats.transport}`);
    expect(status.result).toBe('completed');
  });

  it('runs created jobs to completion and to failure', async () => {
    const s = story('serve: created jobs');
    const ok = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 120,
    });
    const bad = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'fr',
      videoDurationSeconds: 120,
      simulate: { errorCode: 'translation_failed' },
    });
    const settled = await client.waitForAll([ok.id, bad.id], { ...s.callbacks });
    expect(settled[0]?.ok).toBe(true);
    const failure = settled[1];
    expect(
      failure?.ok === false && failure.error instanceof JobFailedError && failure.error.jobErrorCode,
    ).toBe('translation_failed');
    expect(await openRequests(server.url)).toEqual({ held: 0, streams: 0 });
  });

  it('shuts down on SIGTERM with exit code 0', async () => {
    expect(await server.stop()).toBe(0);
  });
});
