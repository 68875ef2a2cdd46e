import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, parseServerArgs } from './main.js';

function capture(): Writable & { text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

describe('translation-status-server arguments', () => {
  it('flags win over the environment', () => {
    const settings = parseServerArgs(['--delay', '2500'], { TRANSLATION_STATUS_DELAY: '9000' });
    expect(settings).toMatchObject({ delayMs: 2500 });
  });

  it('--help prints the usage and every setting, exit 0', async () => {
    const stdout = capture();
    expect(await main(['--help'], { stdout, stderr: capture(), env: {} })).toBe(0);
    expect(stdout.text()).toMatch(/^Usage: translation-status-server \[options\]/);
    expect(stdout.text()).toContain('--fault-error-rate');
  });

  it.each([
    [['--dely', '5'], /Unknown option '--dely'/],
    [['--delay', 'soon'], /--delay/],
    [['--port'], /--port/],
  ])('%j is a usage error (exit 2) that names the flag', async (args, message) => {
    const stderr = capture();
    expect(await main(args, { stdout: capture(), stderr, env: {} })).toBe(2);
    expect(stderr.text()).toMatch(message);
    expect(stderr.text()).toContain("Run 'translation-status-server --help' for usage.");
  });
});
