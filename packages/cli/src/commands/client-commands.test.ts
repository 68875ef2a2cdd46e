/**
 * create, status and wait as a user runs them: the built CLI in a child process against a real server
 * on loopback, checked by exit code and output.
 */
import { startServer, type RunningServer } from '@translation-status/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../test-support/build.js';
import { cleanEnv, runCli, startCli } from '../test-support/child.js';

let server: RunningServer;
let url: string;

beforeAll(async () => {
  await buildCli();
  // The default job (GET /status) completes after 1.5 s; scaled jobs take 1-5 × video length × 0.001.
  server = await startServer({ port: 0, logLevel: 'silent', delayMs: 1500, timeScale: 0.001 });
  url = server.url;
}, 120_000);

afterAll(async () => {
  await server.close();
});

async function create(...extra: string[]): Promise<string> {
  const run = await runCli(['create', '--target', 'es', '--duration', '10', '--base-url', url, ...extra]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim();
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('translation-status create', () => {
  it('prints the new job id, and the resource with --json', async () => {
    expect(await create()).toMatch(/^job_\w+$/);
    const run = await runCli([
      'create',
      '--target',
      'fr',
      '--duration',
      '5',
      '--no-lip-sync',
      '--json',
      '--base-url',
      url,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      event: 'created',
      job_id: expect.stringMatching(/^job_/) as unknown,
      job: { result: 'pending', target_language: 'fr', lip_sync: false },
    });
  });

  it('exits 4 with the server message when the server refuses the job', async () => {
    const run = await runCli([
      'create',
      '--source',
      'en',
      '--target',
      'en',
      '--duration',
      '5',
      '--base-url',
      url,
    ]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('invalid_request');
  });

  it('exits 2 on a usage error', async () => {
    const run = await runCli(['create', '--duration', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--target is required');
    expect(run.stderr).toContain("Run 'translation-status create --help'");
  });
});

describe('translation-status status', () => {
  it('prints one status for a job, or the default job without an id', async () => {
    const id = await create('--simulate-duration-ms', '60000');
    const one = await runCli(['status', id, '--base-url', url]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(new RegExp(`^${id}  pending  \\w+`));
    const byEnv = await runCli(['status', '--json'], cleanEnv({ TRANSLATION_STATUS_URL: url }));
    expect(byEnv.code).toBe(0);
    expect(JSON.parse(byEnv.stdout)).toHaveProperty('result');
  });

  it('exits 4 for an unknown job', async () => {
    const run = await runCli(['status', 'job_nope', '--base-url', url]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('job_not_found');
  });
});

describe('translation-status cancel', () => {
  it('cancels a pending job, and again without complaint', async () => {
    const id = await create('--simulate-duration-ms', '600000');
    const run = await runCli(['cancel', id, '--base-url', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${id}  canceled\n`);
    const again = await runCli(['cancel', id, '--base-url', url, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      event: 'canceled',
      job_id: id,
      job: { id, result: 'error', error: { code: 'canceled' } },
    });
  });

  it('exits 4 naming job_finished for a job that already completed', async () => {
    const id = await create('--simulate-duration-ms', '0');
    const run = await runCli(['cancel', id, '--base-url', url]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('job_finished');
  });

  it('exits 2 without a job id', async () => {
    const run = await runCli(['cancel', '--base-url', url]);
    expect(run.code).toBe(2);
  });
});

describe('translation-status wait', () => {
  it('exits 0 when the job completes, with JSON lines when piped', async () => {
    const id = await create('--simulate-duration-ms', '800');
    const run = await runCli(['wait', id, '--base-url', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${id} completed in`);
    expect(run.stdout).not.toContain('\u001b[');

    const json = await runCli(['wait', id, '--json', '--base-url', url]);
    const lines = jsonLines(json.stdout);
    expect(lines.at(-1)).toMatchObject({ event: 'completed', job_id: id });
  });

  it('waits for the default job without an id', async () => {
    const run = await runCli(['wait', '--json', '--base-url', url]);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toMatchObject({ event: 'status', job_id: expect.stringMatching(/^job_/) as unknown });
    expect(lines.at(-1)).toMatchObject({ event: 'completed' });
  });

  it('exits 1 when the job fails, naming the job error', async () => {
    const id = await create('--simulate-duration-ms', '500', '--simulate-error-code', 'render_failed');
    const run = await runCli(['wait', id, '--json', '--base-url', url]);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({
      event: 'failed',
      exit_code: 1,
      error: { code: 'render_failed' },
    });
    expect(run.stderr).toContain('render_failed');
  });

  it('exits 3 when --timeout passes first', async () => {
    const id = await create('--simulate-duration-ms', '60000');
    const started = Date.now();
    const run = await runCli(['wait', id, '--timeout', '400ms', '--base-url', url]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('still pending');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('exits 2 on a bad --timeout', async () => {
    const run = await runCli(['wait', '--timeout', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid --timeout');
  });

  it('exits 130 on SIGINT, cancelling the wait and closing its requests', async () => {
    const id = await create('--simulate-duration-ms', '60000');
    const running = startCli(['wait', id, '--json', '--transport', 'long-poll', '--base-url', url]);
    // The first status line means the wait (and its SIGINT handler) is running.
    await running.waitFor(/"event":"status"/);
    running.child.kill('SIGINT');
    const run = await running.exited;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('interrupted by SIGINT');
  });

  it('never prints the API key', async () => {
    const id = await create('--simulate-duration-ms', '300');
    const run = await runCli(
      ['wait', id, '--base-url', url],
      cleanEnv({ TRANSLATION_STATUS_API_KEY: 'sk-very-secret' }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('sk-very-secret');
  });
});

describe('help', () => {
  it.each(['create', 'status', 'wait', 'cancel', 'demo', 'serve'])(
    '%s --help documents its usage and exits 0',
    async (name) => {
      const run = await runCli([name, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: translation-status ${name}`);
    },
  );
});
