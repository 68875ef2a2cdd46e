/**
 * Server instances as child processes (the built CLI's `serve`), each on a port of its own that it
 * keeps across restarts, so a load balancer's list of upstreams stays right. Only the processes
 * started here are ever signalled, by pid.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/server/src/test-support/redis-server.js';

export const CLI_BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** Whether the CLI is built (typecheck builds it); under CI=true its absence is a failure. */
export function cliBuilt(): boolean {
  if (existsSync(CLI_BIN)) return true;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${CLI_BIN} is missing; run npm run build first`);
  return false;
}

const START_TIMEOUT_MS = 15_000;

class Instance {
  #child: ChildProcess | undefined;
  #log = '';

  constructor(
    readonly port: number,
    readonly args: readonly string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the instance wrote, for a failing test's message. */
  get log(): string {
    return this.#log;
  }

  start(): Promise<void> {
    const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', String(this.port), ...this.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`instance on ${this.port} did not start:\n${this.#log}`));
      }, START_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        this.#log += chunk.toString();
        if (this.#log.includes(`listening on`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        clearTimeout(timer);
        reject(new Error(`instance on ${this.port} exited (${code ?? signal}):\n${this.#log}`));
      });
    });
  }

  /** `kill -9`. */
  kill(): Promise<void> {
    return this.#signal('SIGKILL');
  }

  /** SIGTERM: the graceful shutdown (held requests answered, streams ended). */
  stop(): Promise<void> {
    return this.#signal('SIGTERM');
  }

  #signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill(signal);
    });
  }
}

export type { Instance };

/** Starts `count` instances with the same arguments, each on a free port. */
export async function startInstances(count: number, args: readonly string[]): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) instances.push(new Instance(await freePort(), args));
  try {
    await Promise.all(instances.map((instance) => instance.start()));
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.kill()));
    throw error;
  }
  return instances;
}
