/**
 * The four packages as a user gets them: packed with `npm pack`, installed into an empty folder with
 * `--engine-strict` by the Node running this suite (CI runs the suite on every Node that `engines`
 * claims), then used through their exports and bins. Installs come from the npm cache when it has them.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT } from '../../packages/cli/src/test-support/build.js';

const PACKAGES = ['client', 'dashboard', 'server', 'cli'] as const;

/** This Node first on PATH (so npm's `#!/usr/bin/env node` runs on it), and no npm_* from a parent npm. */
function env(): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('npm_') && !key.startsWith('TRANSLATION_STATUS_')) result[key] = value;
  }
  result['PATH'] = [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter);
  return result;
}

async function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, env: env(), timeout: 120_000 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
}

let work: string;
let project: string;
let tarballs: { name: string; filename: string; files: { path: string }[] }[];

beforeAll(async () => {
  await buildCli();
  work = await mkdtemp(join(tmpdir(), 'translation-status-pack-'));
  project = join(work, 'project');
  const packed = await run(
    'npm',
    [
      'pack',
      '--json',
      '--ignore-scripts', // built above, under the suite's build lock
      `--pack-destination=${work}`,
      ...PACKAGES.map((name) => `--workspace=packages/${name}`),
    ],
    ROOT,
  );
  tarballs = JSON.parse(packed) as typeof tarballs;
  await run('mkdir', ['-p', project], work);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'fresh', private: true, type: 'module' }),
  );
  await run(
    'npm',
    [
      'install',
      '--engine-strict',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      ...tarballs.map((tarball) => join(work, tarball.filename)),
    ],
    project,
  );
}, 240_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function installed(name: string): string {
  return join(project, 'node_modules', '@translation-status', name);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe(`the packed packages on Node ${process.version}`, () => {
  it.each(PACKAGES)('%s ships a LICENSE and a README', (name) => {
    const tarball = tarballs.find((t) => t.name === `@translation-status/${name}`);
    const paths = tarball?.files.map((file) => file.path) ?? [];
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('README.md');
  });

  it.each(PACKAGES)('%s ships no source map that points at a file it does not ship', async (name) => {
    const root = installed(name);
    const dangling: string[] = [];
    for (const map of (await filesUnder(root)).filter((path) => path.endsWith('.map'))) {
      const { sources } = JSON.parse(await readFile(map, 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = resolve(dirname(map), source);
        if (!existsSync(target)) dangling.push(`${relative(root, map)} -> ${source}`);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('install with --engine-strict, and the client waits for a job on the installed server', async () => {
    await writeFile(
      join(project, 'smoke.mjs'),
      `import { TranslationClient } from '@translation-status/client';
import { startServer } from '@translation-status/server';
const server = await startServer({ port: 0, logLevel: 'silent', timeScale: 0.001 });
const client = new TranslationClient({ baseUrl: server.url });
const job = await client.createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 5 });
const { status } = await client.waitForCompletion(job.id, { timeoutMs: 30_000 });
console.log(status.result);
await server.close();
`,
    );
    expect((await run(process.execPath, ['smoke.mjs'], project)).trim()).toBe('completed');
  });

  it('the CLI bin answers --help', async () => {
    const help = await run(join(project, 'node_modules/.bin/translation-status'), ['--help'], project);
    expect(help).toMatch(/^Usage: translation-status <command>/);
  });

  it('the server bin serves GET /status and the dashboard, and drains on SIGTERM', async () => {
    const child = spawn(join(project, 'node_modules/.bin/translation-status-server'), ['--port', '0'], {
      cwd: project,
      env: { ...env(), TRANSLATION_STATUS_LOG_LEVEL: 'silent' },
    });
    const exited = new Promise<number | null>((done) => child.once('close', done));
    try {
      const url = await new Promise<string>((found, failed) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const match = /^listening on (http:\/\/\S+)$/m.exec(out);
          if (match?.[1] !== undefined) found(match[1]);
        });
        child.once('close', (code) => {
          failed(new Error(`exited ${String(code)} before listening:\n${out}`));
        });
      });
      const response = await fetch(`${url}/status`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result?: unknown };
      expect(body.result).toMatch(/^(pending|completed|error)$/);
      // The dashboard's files come from the installed packages, not from this repository.
      const dashboard = await fetch(`${url}/`);
      expect(dashboard.status).toBe(200);
      const html = await dashboard.text();
      const main = /src="(\/dashboard\/assets\/\w+\/main\.js)"/.exec(html)?.[1] ?? '/missing';
      expect((await fetch(`${url}${main}`)).status).toBe(200);
      expect((await fetch(`${url}${main.replace('main.js', 'client/index.js')}`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
