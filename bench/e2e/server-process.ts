/**
 * A server under test in a child process (see server-child.ts), or any other server behind the same
 * small handle, so the end-to-end core can run against an in-process server in tests.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type ParentMessage =
  | { type: 'memory'; id: number }
  | { type: 'create'; id: number; endsAtMs: readonly number[] }
  | { type: 'close' };
export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'memory'; id: number; usage: NodeJS.MemoryUsage }
  | { type: 'created'; id: number; ids: string[] };

export interface ServerHandle {
  readonly url: string;
  /** The server process's memory (the caller's own when the server runs in-process). */
  memory(): Promise<NodeJS.MemoryUsage>;
  /**
   * Creates one job per moment in `endsAtMs` (`Date.now()` values), each ending then, straight in the
   * server's store (no HTTP): thousands in well under a second, where `POST /jobs` takes tens of seconds
   * on a busy machine. Only our server in a child process has it.
   */
  createJobsEndingAt?(endsAtMs: readonly number[]): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Forks `script` (a compiled child next to this file) with `options` as JSON and resolves once it
 * reports its URL. The child inherits stderr, so a crash is visible.
 */
export function spawnChild(script: string, options: object): Promise<ServerHandle> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = fork(path, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  const memoryWaiters = new Map<number, (usage: NodeJS.MemoryUsage) => void>();
  const createWaiters = new Map<number, (ids: string[]) => void>();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with code ${String(code)} before it was ready`));
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'memory') {
        memoryWaiters.get(message.id)?.(message.usage);
        memoryWaiters.delete(message.id);
        return;
      }
      if (message.type === 'created') {
        createWaiters.get(message.id)?.(message.ids);
        createWaiters.delete(message.id);
        return;
      }
      resolve({
        url: message.url,
        memory: () =>
          new Promise((done) => {
            const id = nextId++;
            memoryWaiters.set(id, done);
            child.send({ type: 'memory', id } satisfies ParentMessage);
          }),
        createJobsEndingAt: (endsAtMs) =>
          new Promise((done) => {
            const id = nextId++;
            createWaiters.set(id, done);
            child.send({ type: 'create', id, endsAtMs } satisfies ParentMessage);
          }),
        close: async () => {
          if (child.connected) child.send({ type: 'close' } satisfies ParentMessage);
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

/** Our server, in a child process, with these `startServer` options (port and host are forced). */
export function spawnServer(options: object): Promise<ServerHandle> {
  return spawnChild('./server-child.js', options);
}
