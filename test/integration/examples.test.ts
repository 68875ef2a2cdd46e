/**
 * Every Node example under examples/ runs as a user would run it (after a build). The browser example
 * runs in Chromium in test/browser/example-page.test.ts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './support.js';
import { cleanEnv, type CliRun } from '../../packages/cli/src/test-support/child.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

beforeAll(async () => {
  await buildCli(); // builds the client and server packages the examples import
}, 120_000);

/**
 * Generous: the examples run five at once (vitest's maxConcurrency), each a Node process that starts a
 * server and waits for real jobs of 1.5-3 s. They took 3.5-9.5 s each at a load of 4, against the
 * default 20 s limit, and this file failed at a load of 14-20. The process is killed before the test's
 * own timeout, so a hang fails with the example's output rather than a bare timeout.
 */
const EXAMPLE_LIMIT_MS = 45_000;

function runNode(args: readonly string[], timeoutMs = EXAMPLE_LIMIT_MS): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe.concurrent('node examples', () => {
  it.each([
    ['wait-for-one.mjs', /^completed after \d+ requests via sse$/m],
    ['many-jobs.mjs', /^(job_\w+ (completed|failed: job_failed \w+)\n){3}$/],
    ['watch.mjs', /^completed done 1$/m],
    ['cancel.mjs', /timed out, still \w+\ncancelled: no longer needed\ncancelled: TimeoutError/],
    ['custom-polling.mjs', /^completed: \d+ requests, [1-9]\d* retries$/m],
    ['plain-status-server.mjs', /^completed after \d+ requests via poll$/m],
    [
      'resume.mjs',
      /^run 1: still pending: checkpoint saved\n(run \d: still pending: checkpoint saved\n)*run \d: completed after \d+ requests? in this run\n$/,
    ],
    [
      'webhooks.mjs',
      // Up to four stage changes (in the order their deliveries arrive; a slowed server may announce two
      // changes as one, as a busy CI machine showed), the ending, then the wait it ended.
      /^rejected: bad_signature\nforged request answered 401\n(job\.stage_changed job_\w+ pending \w+\n){1,4}job\.completed job_\w+ completed done\ncompleted after 0 requests via webhook\n$/,
    ],
    ['heygen.mjs', /^(job_\w+ completed https:\/\/video\.heygen-simulator\.invalid\/job_\w+\.mp4\n){2}$/],
  ])(
    '%s exits 0 with sensible output',
    async (file, expected) => {
      const run = await runNode([join(EXAMPLES, file)]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(expected);
    },
    EXAMPLE_LIMIT_MS + 15_000,
  );
});
