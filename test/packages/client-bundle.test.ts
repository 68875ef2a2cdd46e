/**
 * The client's browser bundle: the optional parts (webhook helpers) are not in `TranslationClient`'s.
 * The measurement is scripts/client-bundle.mjs, the same one `npm run size` prints.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
});
