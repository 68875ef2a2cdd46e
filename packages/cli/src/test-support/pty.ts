/**
 * The built CLI under a real pseudo-terminal, via util-linux `script`: stdout and stderr are one
 * terminal, `columns` wide, exactly as a user sees them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI_BIN } from './build.js';
import { cleanEnv } from './child.js';

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

export interface PtyRun {
  readonly code: number;
  /** Everything the terminal received, escape sequences included. */
  readonly output: string;
}

export async function runInPty(
  args: readonly string[],
  options: { readonly columns: number; readonly term: string; readonly timeoutMs?: number },
): Promise<PtyRun> {
  const command = [process.execPath, CLI_BIN, ...args].map(shellQuote).join(' ');
  const inner = `stty cols ${options.columns} rows 40 && exec ${command}`;
  try {
    const { stdout } = await promisify(execFile)('script', ['-q', '-e', '-c', inner, '/dev/null'], {
      env: cleanEnv({ TERM: options.term }),
      timeout: options.timeoutMs ?? 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout } = error as { code?: unknown; stdout?: string };
    if (typeof code !== 'number') throw error;
    return { code, output: stdout ?? '' };
  }
}
