/**
 * `wait --checkpoint-file` as a user runs it: the built CLI in a child process against a real server on
 * loopback. A run stopped early saves the wait; the next run goes on from it.
 */
import { startServer, type RunningServer } from '@translation-status/server';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../test-support/build.js';
import { runCli, startCli } from '../test-support/child.js';

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  await buildCli();
  server = await startServer({ port: 0, logLevel: 'silent' });
  dir = await mkdtemp(join(tmpdir(), 'translation-status-checkpoint-'));
}, 120_000);

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function create(durationMs: number): Promise<string> {
  const run = await runCli([
    'create',
    '--target',
    'es',
    '--duration',
    '10',
    '--simulate-duration-ms',
    String(durationMs),
    '--base-url',
    server.url,
  ]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim();
}

const exists = (path: string): Promise<boolean> =>
  readFile(path).then(
    () => true,
    () => false,
  );

describe('translation-status wait --checkpoint-file', () => {
  it('--max-time stops the run and saves the wait; the next run goes on from it and removes the file', async () => {
    const id = await create(6_000);
    const file = join(dir, 'max-time.txt');
    const first = await runCli([
      'wait',
      id,
      '--checkpoint-file',
      file,
      '--max-time',
      '1s',
      '--base-url',
      server.url,
    ]);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toContain(`saved in ${file}`);
    expect(await readFile(file, 'utf8')).toMatch(/^tsc1\.[\w-]+\n$/);

    const second = await runCli(['wait', id, '--checkpoint-file', file, '--json', '--base-url', server.url]);
    expect(second.code, second.stderr).toBe(0);
    const last = JSON.parse(second.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    // Resumed: no discovery read, the first request held or streamed from the last version.
    expect(last).toMatchObject({ event: 'completed', job_id: id, requests: 1 });
    expect(await exists(file)).toBe(false);
  }, 60_000);

  it('Ctrl-C saves the wait too', async () => {
    const id = await create(60_000);
    const file = join(dir, 'interrupted.txt');
    const running = startCli(['wait', id, '--checkpoint-file', file, '--json', '--base-url', server.url]);
    await running.waitFor(/"event":"status"/);
    running.child.kill('SIGINT');
    const run = await running.exited;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`the wait is saved in ${file}`);
    expect(await readFile(file, 'utf8')).toMatch(/^tsc1\./);
  }, 60_000);

  it.each<[string, string[], RegExp]>([
    [
      'a file that holds no checkpoint of this job',
      ['job_x', '--checkpoint-file', 'BAD'],
      /holds no checkpoint of this job/,
    ],
    ['--max-time without a file', ['job_x', '--max-time', '1s'], /--max-time needs --checkpoint-file/],
    ['a file without a job id', ['--checkpoint-file', 'BAD'], /--checkpoint-file needs a job id/],
  ])('exits 2 on %s', async (_name, args, expected) => {
    const bad = join(dir, 'bad.txt');
    await writeFile(bad, 'not a checkpoint\n');
    const run = await runCli(['wait', ...args.map((a) => (a === 'BAD' ? bad : a)), '--base-url', server.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(expected);
  });
});
