/**
 * The client's browser bundle: the optional parts (webhook helpers) are not in `TranslationClient`'s,
 * and its error classes keep their names once minified.
 * The measurement is scripts/client-bundle.mjs, the same one `npm run size` prints.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/client-bundle.mjs', import.meta.url));

interface Measured {
  readonly gzipBytes: number;
  readonly modules: readonly { readonly path: string; readonly bytes: number }[];
}

async function measure(...names: string[]): Promise<Measured> {
  const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, ...names, '--json']);
  return JSON.parse(stdout) as Measured;
}

const webhookModules = (measured: Measured): string[] =>
  measured.modules.map((m) => m.path).filter((path) => path.startsWith('src/webhooks/'));

describe('the client bundle', () => {
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
