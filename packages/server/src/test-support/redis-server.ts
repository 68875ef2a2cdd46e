/**
 * A private `redis-server` for tests and benchmarks: Debian's binary on a free loopback port, with its
 * files in a temporary directory of its own, never the system service. Only the process started here is
 * ever signalled (by pid), and its directory is removed at `cleanup()`.
 *
 * Where `redis-server` is missing the Redis tests are skipped, except under `CI=true`, where that is a
 * failure: CI installs it (`.ci/run`), so its absence there is a broken setup, not a reason to pass.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = process.env.REDIS_SERVER_BINARY ?? 'redis-server';
const READY_LINE = 'Ready to accept connections';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/** Whether `redis-server` can be run here; throws under CI=true when it cannot. */
export function redisServerAvailable(): boolean {
  try {
    execFileSync(BINARY, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(
        `CI=true but '${BINARY}' cannot be run, so the Redis store tests cannot run; ` +
          "install Debian's redis-server package (.ci/run does) or set REDIS_SERVER_BINARY",
        { cause: error },
      );
    }
    return false;
  }
}

/** Whether `port` can be listened on right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/**
 * A free port for a process that is restarted on the same port (Redis, a server instance). It is
 * taken below Linux's ephemeral range (32768-60999): a port the kernel chose would be handed out again
 * as the local end of some outgoing connection while its process is down, and the restart would fail
 * with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000 in 100 tries');
}

export interface RedisServerOptions {
  /**
   * Append-only file with an fsync per write, so a `kill -9` of Redis loses nothing it acknowledged.
   * @default false (no persistence at all: nothing is written to disk)
   */
  readonly persistence?: boolean;
}

export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly #persistence: boolean;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string, persistence: boolean) {
    this.port = port;
    this.dir = dir;
    this.#persistence = persistence;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), 'ts-redis-'));
    const server = new RedisServer(await freePort(), dir, options.persistence ?? false);
    try {
      await server.#spawn();
    } catch (error) {
      server.cleanup();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The pid of the running server, undefined while stopped. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** `kill -9`: no shutdown save; only what persistence already wrote survives. */
  kill(): Promise<void> {
    return this.#signal('SIGKILL');
  }

  /** A clean shutdown (SIGTERM). */
  stop(): Promise<void> {
    return this.#signal('SIGTERM');
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as in a hang. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Starts the server again on the same port with the same files. */
  async restart(): Promise<void> {
    if (this.#child !== undefined) await this.stop();
    await this.#spawn();
  }

  /** Kills the server if it still runs and removes its directory. */
  async close(): Promise<void> {
    if (this.#child !== undefined) await this.kill();
    this.cleanup();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  #spawn(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      '',
      ...(this.#persistence ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ];
    const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => {
        fail(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
      }, START_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          child.stdout.resume();
          resolve();
        }
      };
      const fail = (error: Error): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        this.#child = undefined;
        reject(error);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', fail);
      child.once('exit', (code) => {
        if (this.#child === child) this.#child = undefined;
        if (!output.includes(READY_LINE)) fail(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  }

  #signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === undefined) return Promise.resolve();
    this.#child = undefined;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`redis-server (pid ${child.pid}) did not exit within ${STOP_TIMEOUT_MS} ms`));
      }, STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      // A paused server must be woken to act on SIGTERM.
      child.kill('SIGCONT');
      child.kill(signal);
    });
  }
}
