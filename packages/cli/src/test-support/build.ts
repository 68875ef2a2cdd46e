/**
 * Builds the CLI (and the packages it references) once before tests that run it as a child process.
 * Test files run in parallel workers, so a lock directory keeps two `tsc --build` runs from writing the
 * same outputs at once; `tsc --build` is incremental, so the second caller finds nothing to do.
 */
import { execFile } from 'node:child_process';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const TSC = fileURLToPath(new URL('../../../../node_modules/typescript/bin/tsc', import.meta.url));
const LOCK = fileURLToPath(
  new URL('../../../../node_modules/.cache/translation-status-build.lock', import.meta.url),
);
/** A lock older than this was left by a crashed run. */
const STALE_MS = 120_000;

let built: Promise<void> | undefined;

async function acquire(): Promise<void> {
  await mkdir(fileURLToPath(new URL('.', `file://${LOCK}`)), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(LOCK).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rmdir(LOCK).catch(() => undefined);
      else await sleep(100);
    }
  }
}

/** `tsc --build packages/cli`, once per test worker. */
export function buildCli(): Promise<void> {
  built ??= (async () => {
    await acquire();
    try {
      await promisify(execFile)(process.execPath, [TSC, '--build', 'packages/cli'], { cwd: ROOT });
    } catch (error) {
      const { stdout } = error as { stdout?: string };
      throw new Error(`tsc --build packages/cli failed:\n${stdout ?? String(error)}`, { cause: error });
    } finally {
      await rmdir(LOCK).catch(() => undefined);
    }
  })();
  return built;
}
