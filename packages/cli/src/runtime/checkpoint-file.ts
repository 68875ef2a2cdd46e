/**
 * The file `wait --checkpoint-file` keeps a wait in between runs: read at the start (absent: a fresh
 * wait), written when a run stops early, removed once the job has ended (nothing is left to resume).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** The checkpoint saved in `path`, or undefined when there is none yet. */
export async function readCheckpointFile(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a new file and renames it over the old, so a run killed meanwhile never leaves half a one. */
export async function saveCheckpointFile(path: string, checkpoint: string): Promise<void> {
  const partial = `${path}.${String(process.pid)}.partial`;
  await writeFile(partial, `${checkpoint}\n`, { mode: 0o600 });
  await rename(partial, path);
}

export async function removeCheckpointFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
