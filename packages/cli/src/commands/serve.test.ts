/** The built CLI as a child process: real argv, stdout, signals and exit code. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI_BIN as bin } from '../test-support/build.js';

let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  await buildCli();
}, 120_000);

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

function waitForLine(proc: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const match = pattern.exec(buffered);
      if (match) {
        proc.stdout.off('data', onData);
        resolve(match);
      }
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => {
      reject(new Error(`exited early with ${String(code)}: ${buffered}`));
    });
  });
}

describe('translation-status serve (process)', () => {
  it('prints its URL, serves the default job to completion and exits 0 on SIGTERM', async () => {
    // The default job takes 8 s: its first read is still pending even when startup is slow (busy machine).
    child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--delay', '8000', '--log-level', 'warn']);
    const [, url] = await waitForLine(child, /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    const first = (await (await fetch(`${url ?? ''}/status`)).json()) as { result: string };
    expect(first.result).toBe('pending');

    const deadline = Date.now() + 30_000;
    let result = first.result;
    while (result === 'pending' && Date.now() < deadline) {
      const res = await fetch(`${url ?? ''}/status`, { headers: { prefer: 'wait=5' } });
      result = ((await res.json()) as { result: string }).result;
    }
    expect(result).toBe('completed');

    const proc = child;
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    const stopping = Date.now();
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);
  }, 45_000);
});
