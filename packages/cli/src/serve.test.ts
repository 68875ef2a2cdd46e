/** The built CLI as a child process: real argv, stdout, signals and exit code. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(() => {
  // Build only what `serve` needs (server, then the CLI), so the test does not depend on other packages.
  execFileSync(process.execPath, [tsc, '--build', 'packages/server'], { cwd: root, stdio: 'pipe' });
  execFileSync(process.execPath, [tsc, '-p', 'packages/cli'], { cwd: root, stdio: 'pipe' });
}, 60_000);

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
    child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--delay', '1000', '--log-level', 'warn']);
    const [, url] = await waitForLine(child, /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    const first = (await (await fetch(`${url ?? ''}/status`)).json()) as { result: string };
    expect(first.result).toBe('pending');

    const deadline = Date.now() + 15_000;
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
  });
});
