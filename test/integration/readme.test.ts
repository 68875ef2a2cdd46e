/**
 * Every code block of the READMEs (the root one and each package's), as written:
 * - every JavaScript/TypeScript block typechecks under `strict` against the built packages' types, with
 *   the few names a trimmed snippet takes from the text around it (`client`, `job`, `server`, …)
 *   declared with their types;
 * - every JavaScript block runs in its own Node process against a real server the test starts (those
 *   names then being real values), and exits 0 on its own, with nothing on stderr;
 * - the shell blocks that are safe run against a server they start themselves.
 * The only change to a block is the port: `3000` in the text becomes a free port (and the CLI, whose
 * default server is 127.0.0.1:3000, is told that port through TRANSLATION_STATUS_URL). Not run here:
 * `npm ci && npm run demo` / `npm test` (the suite itself; the demo has its own test), and
 * `npm install` + `npx translation-status-server` (test/packages/install.test.ts does that with the
 * packed tarballs), and the CLI's HeyGen lines, written for HeyGen's own API (the CLI's tests run them
 * against the simulator's HeyGen routes).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, planJob } from '@translation-status/server';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT } from '../../packages/cli/src/test-support/build.js';
import { cleanEnv } from '../../packages/cli/src/test-support/child.js';

const READMES = [
  'README.md',
  'packages/client/README.md',
  'packages/server/README.md',
  'packages/cli/README.md',
];
/** Inside the repository, so the snippets resolve `@translation-status/*` to the built packages. */
const WORK = join(ROOT, 'node_modules/.cache/readme-snippets');

interface Block {
  /** `README.md:36`: the file and the line of the opening fence. */
  readonly where: string;
  readonly lang: string;
  readonly code: string;
}

function blocksOf(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) body.push(lines[i] ?? '');
    blocks.push({ where: `${file}:${start + 1}`, lang: open[1] ?? '', code: body.join('\n') });
  }
  return blocks;
}

const all: Block[] = [];
for (const file of READMES) all.push(...blocksOf(file, await readFile(join(ROOT, file), 'utf8')));
const scripts = all.filter((b) => ['js', 'ts', 'mjs'].includes(b.lang));
const shell = all.filter((b) => b.lang === 'sh');

/** Whether the snippet declares or imports `name` itself. */
function declares(code: string, name: string): boolean {
  return new RegExp(
    `(?:const|let|var)\\s+(?:${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\})|import\\s*\\{[^}]*\\b${name}\\b`,
  ).test(code);
}
const uses = (code: string, name: string): boolean => new RegExp(`\\b${name}\\b`).test(code);
/** The names a snippet takes from the text around it, undeclared by itself. */
const free = (code: string, names: readonly string[]): string[] =>
  names.filter((name) => uses(code, name) && !declares(code, name));

const CLIENT_VALUES = ['TranslationClient', 'JobFailedError', 'WaitTimeoutError', 'createWebhookReceiver'];
const SERVER_VALUES = ['startServer'];
/** What the prose around a trimmed snippet has made, with its type. */
const CONTEXT: Readonly<Record<string, string>> = {
  client: '__client.TranslationClient',
  job: '__client.CreatedJob',
  jobs: 'readonly __client.CreatedJob[]',
  server: '__server.RunningServer',
  baseUrl: 'string',
  apiKey: 'string',
  receiver: '__client.WebhookReceiver',
  secret: 'string',
  // A listening TCP server (examples/webhooks.mjs awaits 'listening'): address() is its AddressInfo.
  endpoint: "Omit<import('node:http').Server, 'address'> & { address(): import('node:net').AddressInfo }",
};

function imports(code: string, names: readonly string[], from: string): string {
  const needed = free(code, names);
  return needed.length === 0 ? '' : `import { ${needed.join(', ')} } from '${from}';\n`;
}

function typecheckSource(block: Block): string {
  const declared = free(block.code, Object.keys(CONTEXT))
    .map((name) => `declare const ${name}: ${CONTEXT[name] ?? 'never'};\n`)
    .join('');
  return (
    "import type * as __client from '@translation-status/client';\n" +
    "import type * as __server from '@translation-status/server';\n" +
    imports(block.code, CLIENT_VALUES, '@translation-status/client') +
    imports(block.code, SERVER_VALUES, '@translation-status/server') +
    declared +
    block.code +
    '\nexport {};\n'
  );
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env: cleanEnv(options.env), detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    }, options.timeoutMs ?? 30_000);
    let exitCode: number | null = null;
    child.once('exit', (code) => {
      exitCode = code;
      // Anything the command left running in the background (its process group) goes too; it would
      // otherwise hold the pipes open.
      try {
        process.kill(-(child.pid ?? 0), 'SIGTERM');
      } catch {
        // the group is gone already
      }
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve({ code: exitCode, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  await buildCli(); // the snippets import the built packages, the shell blocks run the built CLI
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
}, 120_000);

afterAll(async () => {
  await rm(WORK, { recursive: true, force: true });
});

describe('README code blocks', () => {
  it('finds the blocks (and each is JavaScript, TypeScript or shell)', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(10);
    expect(shell.length).toBeGreaterThanOrEqual(5);
    expect(all.filter((b) => !['js', 'ts', 'mjs', 'sh'].includes(b.lang)).map((b) => b.where)).toEqual([]);
  });

  it("the ten-line clients wait long enough for their 90 s video at the server's real-time pace", () => {
    // The run below uses a fast server; this is the claim at the documented server's defaults.
    const tenLiners = scripts.filter(
      (b) => b.code.includes('127.0.0.1:3000') && b.code.includes('videoDurationSeconds: 90'),
    );
    expect(tenLiners).toHaveLength(2); // the root README's and the client's
    const input = { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 90, lipSync: true };
    const longest = Math.max(
      ...Array.from({ length: 2_000 }, (_, seed) => planJob(input, seed, DEFAULT_SETTINGS).totalMs),
    );
    for (const block of tenLiners) {
      const written = /timeoutMs: ([\d_ *]+)/.exec(block.code)?.[1];
      expect(written, `${block.where} sets timeoutMs`).toBeDefined();
      const timeoutMs = (written ?? '0')
        .replaceAll('_', '')
        .split('*')
        .reduce((product, factor) => product * Number(factor), 1);
      expect(timeoutMs, block.where).toBeGreaterThan(longest * 1.1);
    }
  });

  it('every JavaScript and TypeScript block typechecks under strict', { timeout: 60_000 }, () => {
    const files = new Map(
      scripts.map((block, i) => [join(WORK, `typecheck-${i}.mts`), { block, text: typecheckSource(block) }]),
    );
    const options: ts.CompilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
      skipLibCheck: true,
      noEmit: true,
    };
    const host = ts.createCompilerHost(options);
    const disk = ts.createCompilerHost(options);
    host.fileExists = (path) => files.has(path) || disk.fileExists(path);
    host.readFile = (path) => files.get(path)?.text ?? disk.readFile(path);
    host.getSourceFile = (path, language, ...rest) => {
      const file = files.get(path);
      return file === undefined
        ? disk.getSourceFile(path, language, ...rest)
        : ts.createSourceFile(path, file.text, language);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    const problems: string[] = [];
    for (const [path, { block }] of files) {
      for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(path))) {
        problems.push(`${block.where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  /**
   * A JS block in a process of its own: the server and the names around it made first (a job of a few
   * seconds on a server 500× faster than real time), the block, then the server closed.
   */
  async function runScript(block: Block, index: number): Promise<Run> {
    const port = await freePort();
    const text = block.code.replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`);
    // The block's own imports go first (an import cannot sit in the try below).
    const lines = text.split('\n');
    const own = lines.filter((line) => line.startsWith('import '));
    const code = lines.filter((line) => !line.startsWith('import ')).join('\n');
    const needs = (name: string): boolean => free(text, [name]).length > 0;
    const context = [
      ...own,
      "import { TranslationClient as __Client } from '@translation-status/client';",
      "import { startServer as __start } from '@translation-status/server';",
      imports(text, CLIENT_VALUES, '@translation-status/client'),
      imports(text, SERVER_VALUES, '@translation-status/server'),
      `const __server = await __start({ port: ${port}, logLevel: 'silent', timeScale: 0.002, delayMs: 1500 });`,
      needs('server') ? 'const server = __server;' : '',
      needs('baseUrl') ? 'const baseUrl = __server.url;' : '',
      'const __made = new __Client({ baseUrl: __server.url });',
      needs('client') ? 'const client = __made;' : '',
      "const __input = { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 5 };",
      needs('job') || needs('jobs') ? 'const job = await __made.createJob(__input);' : '',
      needs('jobs') ? 'const jobs = [job, await __made.createJob(__input)];' : '',
      'try {',
      code,
      '} finally {',
      '  await __server.close();',
      '}',
    ].join('\n');
    const path = join(WORK, `run-${index}.mjs`);
    await writeFile(path, context);
    return run(process.execPath, [path]);
  }

  /**
   * Not run here, as each is a trimmed copy of an example that examples.test.ts runs: the blocks that
   * need a webhook endpoint (examples/webhooks.mjs) and those written for a remote service's URL
   * (HeyGen's: examples/heygen.mjs runs them against the simulator's HeyGen routes).
   */
  const runnable = scripts.filter(
    (b) =>
      free(b.code, ['receiver', 'secret', 'endpoint']).length === 0 &&
      !/baseUrl = 'https?:\/\/(?!127\.0\.0\.1|localhost)/.test(b.code),
  );

  it.concurrent.each(runnable.map((block, i) => [block.where, block, i] as const))(
    'the JavaScript block at %s runs and exits 0 on its own',
    async (_, block, index) => {
      const result = await runScript(block, index);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
    60_000,
  );

  it(
    'the server blocks: `npm run serve` answers the curl lines as they say',
    { timeout: 60_000 },
    async () => {
      const port = await freePort();
      const blocks = shell.filter((b) => b.code.includes('npm run serve -- --port 3000 --delay 60000'));
      expect(blocks).toHaveLength(1);
      const [serve, ...curls] = (blocks[0]?.code ?? '').replaceAll('3000', String(port)).split('\n');
      const server = spawn('bash', ['-c', serve ?? ''], { cwd: ROOT, env: cleanEnv(), detached: true });
      try {
        await new Promise<void>((resolve, reject) => {
          let out = '';
          server.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString('utf8');
            if (out.includes('listening on')) resolve();
          });
          server.once('close', () => {
            reject(new Error(`npm run serve exited: ${out}`));
          });
        });
        // The same two curl lines are the server README's block: run once, as both say.
        const serverReadme = shell.find(
          (b) => b.where.startsWith('packages/server/README.md') && b.code.includes('curl'),
        );
        expect(serverReadme?.code.split('\n').map((l) => l.replace(/\s+#.*$/, ''))).toEqual(
          curls.map((l) =>
            l
              .replace(/\s+#.*$/, '')
              .replace(/\s+$/, '')
              .replace(String(port), '3000'),
          ),
        );
        const [now, held] = await Promise.all(curls.map((line) => run('bash', ['-c', line])));
        const first = JSON.parse(now?.stdout ?? '') as { result: string; stage: string };
        expect(first.result).toBe('pending'); // "the default job: pending for a minute"
        const second = JSON.parse(held?.stdout ?? '') as { result: string; stage: string };
        expect(second.stage).not.toBe(first.stage); // "held until its stage changes"
      } finally {
        process.kill(-(server.pid ?? 0), 'SIGTERM');
      }
    },
  );

  it(
    'the CLI block runs: a job created, waited for, and the default job as JSON lines',
    { timeout: 90_000 },
    async () => {
      const port = await freePort();
      const block = shell.find(
        (b) => b.where.startsWith('packages/cli/README.md') && b.code.includes('npm run serve'),
      );
      expect(block).toBeDefined();
      // The background server is in this bash's process group, which run() stops when bash ends.
      const script = (block?.code ?? '').replaceAll('3000', String(port));
      const result = await run('bash', ['-c', `set -e\n${script}`], {
        env: { TRANSLATION_STATUS_URL: `http://127.0.0.1:${port}` },
        timeoutMs: 80_000,
      });
      expect(result.code).toBe(0);
      // The background server's own lines (npm's, the log) share stdout: pick the CLI's JSON events.
      const events = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('{"event"'))
        .map((line) => JSON.parse(line) as { event: string; job_id: string | null });
      expect(events.at(-1)?.event).toBe('completed');
      expect(events.at(-1)?.job_id).toMatch(/^job_/);
    },
  );
});
