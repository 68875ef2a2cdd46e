/**
 * A private nginx (Debian's binary) running the site configuration of docs/deployment.md, in a
 * temporary directory of its own: its own pid file, temp paths and logs, never the system service.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/server/src/test-support/redis-server.js';

/** Debian puts nginx in /usr/sbin, which a non-root PATH may lack. */
const BINARY = process.env.NGINX_BINARY ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
const DEPLOYMENT_DOC = fileURLToPath(new URL('../../docs/deployment.md', import.meta.url));

/** Whether nginx can be run here; throws under CI=true when it cannot (.ci/run installs it). */
export function nginxAvailable(): boolean {
  try {
    execFileSync(BINARY, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`CI=true but '${BINARY}' cannot be run; install Debian's nginx (.ci/run does)`, {
        cause: error,
      });
    }
    return false;
  }
}

/** The one `nginx` code block of docs/deployment.md: the site configuration users copy. */
export function documentedSite(): string {
  const blocks = [...readFileSync(DEPLOYMENT_DOC, 'utf8').matchAll(/```nginx\n([\s\S]*?)```/g)];
  if (blocks.length !== 1) throw new Error(`docs/deployment.md has ${blocks.length} nginx blocks, not 1`);
  return (blocks[0] as RegExpMatchArray)[1] as string;
}

/** The documented site with its `listen` port and upstream servers replaced by the test's. */
export function siteFor(site: string, port: number, upstreams: readonly number[]): string {
  const servers = site.match(/^\s*server 127\.0\.0\.1:\d+[^;]*;$/gm) ?? [];
  if (servers.length === 0) throw new Error('the documented site lists no upstream servers');
  const [first] = servers;
  const options = (first as string).replace(/^\s*server 127\.0\.0\.1:\d+/, '');
  const listed = upstreams.map((p) => `    server 127.0.0.1:${p}${options}`).join('\n');
  let replaced = false;
  return site
    .replace(/^\s*server 127\.0\.0\.1:\d+[^;]*;$/gm, () => {
      if (replaced) return '';
      replaced = true;
      return listed;
    })
    .replace(/listen \d+;/, `listen 127.0.0.1:${port};`);
}

export class Nginx {
  readonly port: number;
  readonly #dir: string;
  readonly #child: ChildProcess;
  #log = '';

  private constructor(port: number, dir: string, child: ChildProcess) {
    this.port = port;
    this.#dir = dir;
    this.#child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
  }

  /** Runs `site` (an http-context fragment) in a minimal main configuration, on a free port. */
  static async start(site: (port: number) => string): Promise<Nginx> {
    const dir = mkdtempSync(join(tmpdir(), 'ts-nginx-'));
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      [
        'worker_processes 1;',
        'daemon off;',
        `pid ${join(dir, 'nginx.pid')};`,
        'error_log stderr warn;',
        'events { worker_connections 4096; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${join(dir, kind)};`,
        ),
        site(port),
        '}',
      ].join('\n'),
    );
    const child = spawn(BINARY, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    const nginx = new Nginx(port, dir, child);
    await nginx.#ready();
    return nginx;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const exited = new Promise((resolve) => this.#child.once('exit', resolve));
      this.#child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #ready(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.#child.exitCode !== null) throw new Error(`nginx exited:\n${this.#log}`);
      const answered = await fetch(`${this.url}/healthz`).then(
        () => true,
        () => false,
      );
      if (answered) return;
      if (Date.now() > deadline) {
        await this.close();
        throw new Error(`nginx did not answer within 10 s:\n${this.#log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
