/**
 * The client's browser bundle: `TranslationClient`'s is under budget up front, its channels load on
 * demand (and work so, from a split bundle), the optional parts (webhook helpers) are not in it, and its
 * error classes keep their names once minified.
 * The measurement is scripts/client-bundle.mjs, the same one `npm run size` prints.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { TranslationClient as Client } from '@translation-status/client';
import { inProcessServer, jobLasting } from '../integration/support.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/client-bundle.mjs', import.meta.url));
const { bundleClient } = (await import(SCRIPT)) as {
  bundleClient: (
    names: readonly string[],
  ) => Promise<{ outputFiles: { path: string; contents: Uint8Array }[] }>;
};

type Modules = readonly { readonly path: string; readonly bytes: number }[];

interface Measured {
  readonly gzipBytes: number;
  readonly modules: Modules;
  readonly onDemand: readonly { readonly chunk: string; readonly modules: Modules }[];
}

/** The channel code: the hub, its channels and what reads a stream (see watch/channels.ts). */
const CHANNEL_MODULES = [
  'src/watch/stream-hub.ts',
  'src/watch/shared-channel.ts',
  'src/watch/batch-channel.ts',
  'src/http/event-stream.ts',
];

async function measure(...names: string[]): Promise<Measured> {
  const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, ...names, '--json']);
  return JSON.parse(stdout) as Measured;
}

const webhookModules = (measured: Measured): string[] =>
  measured.modules.map((m) => m.path).filter((path) => path.startsWith('src/webhooks/'));

describe('the client bundle', () => {
  it('TranslationClient alone is under 16384 bytes minified and gzipped, up front', async () => {
    const { gzipBytes } = await measure('TranslationClient');
    expect(gzipBytes).toBeGreaterThan(5_000);
    expect(gzipBytes).toBeLessThan(16_384);
  });

  it('loads the channel code on demand, as one chunk', async () => {
    const { modules, onDemand } = await measure('TranslationClient');
    const upFront = modules.map((m) => m.path);
    for (const path of CHANNEL_MODULES) expect(upFront).not.toContain(path);
    const channels = onDemand.find((chunk) => chunk.modules.some((m) => m.path === CHANNEL_MODULES[0]));
    expect(channels?.modules.map((m) => m.path)).toEqual(expect.arrayContaining(CHANNEL_MODULES));
  });

  it('a split bundle loads its channel chunk and waits over a shared stream', async () => {
    const { outputFiles } = await bundleClient(['TranslationClient']);
    // The entry (stdin.js), the client's chunk, the channel chunk, the checkpoint reader's.
    expect(outputFiles.length).toBeGreaterThan(2);
    const dir = await mkdtemp(join(tmpdir(), 'client-split-'));
    const server = await inProcessServer();
    try {
      await writeFile(join(dir, 'package.json'), '{"type":"module"}');
      for (const file of outputFiles) await writeFile(join(dir, basename(file.path)), file.contents);
      const { TranslationClient } = (await import(pathToFileURL(join(dir, 'stdin.js')).href)) as {
        TranslationClient: typeof Client;
      };
      const client = new TranslationClient({ baseUrl: server.url, logLevel: 'silent' });
      const ids = await Promise.all([jobLasting(server, 300), jobLasting(server, 400)]);
      const done = await Promise.all(ids.map((id) => client.waitForCompletion(id, { timeoutMs: 15_000 })));
      expect(done.map((d) => [d.status.result, d.stats.transport])).toEqual([
        ['completed', 'sse'],
        ['completed', 'sse'],
      ]);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves out the webhook helpers, which a bundle of them does hold', async () => {
    const [client, webhooks] = await Promise.all([
      measure('TranslationClient'),
      measure('verifyWebhook', 'createWebhookReceiver'),
    ]);
    expect(webhookModules(webhooks)).toEqual(
      expect.arrayContaining(['src/webhooks/verify.ts', 'src/webhooks/receiver.ts']),
    );
    expect(webhookModules(client)).toEqual([]);
  });

  it('keeps every error class its own name when minified (a minifier renames the classes)', async () => {
    const { outputFiles } = await build({
      stdin: {
        contents: "export * from './src/errors/index.ts';",
        resolveDir: fileURLToPath(new URL('../../packages/client/', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
    });
    const dir = await mkdtemp(join(tmpdir(), 'client-errors-'));
    try {
      const file = join(dir, 'errors.mjs');
      await writeFile(file, outputFiles[0]?.text ?? '');
      const errors = (await import(pathToFileURL(file).href)) as Record<string, new (fields: never) => Error>;
      const fields = {
        option: 'x',
        value: 1,
        expected: 'y',
        url: 'http://x/',
        status: 500,
        timeoutMs: 1,
        problem: 'p',
        maxRetries: 1,
        reason: 'bad_signature',
        jobId: 'j',
      };
      const named = Object.entries(errors).filter(
        ([name]) => name.endsWith('Error') && name !== 'TranslationStatusError' && name !== 'JobFailedError',
      );
      expect(named.length).toBeGreaterThan(7);
      for (const [name, ErrorClass] of named) expect(new ErrorClass(fields as never).name).toBe(name);
      expect(
        new (errors['JobFailedError'] as new (f: unknown) => Error)({ status: { result: 'error' } }).name,
      ).toBe('JobFailedError');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
