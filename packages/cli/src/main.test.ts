import { SETTING_SPECS } from '@translation-status/server';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { COMMANDS, main } from './main.js';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('translation-status dispatch', () => {
  it('lists exactly the commands that exist on --help', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(c.out()).toContain(`  ${name}`);
    expect(Object.keys(COMMANDS)).toEqual(['serve', 'create', 'status', 'wait', 'demo']);
  });

  it('prints usage and exits 2 without a command', async () => {
    const c = capture();
    expect(await main([], c.io)).toBe(2);
    expect(c.err()).toContain('Usage: translation-status <command>');
  });

  it('rejects an unknown command with exit 2', async () => {
    const c = capture();
    expect(await main(['fly'], c.io)).toBe(2);
    expect(c.err()).toContain("unknown command 'fly'");
  });
});

describe('translation-status serve (arguments)', () => {
  it('documents every setting with its default and environment variable', async () => {
    const c = capture();
    expect(await main(['serve', '--help'], c.io)).toBe(0);
    for (const spec of SETTING_SPECS) {
      expect(c.out()).toContain(`-${spec.flag}`);
      expect(c.out()).toContain(spec.env[0] ?? 'missing');
    }
  });

  it.each([
    [['--port', '70000'], {}, 'Invalid --port: 70000. It must be an integer from 0 to 65535.'],
    [['--error-rate', 'lots'], {}, 'Invalid --error-rate: "lots". It must be a number from 0 to 1.'],
    [
      ['--log-level', 'loud'],
      {},
      'Invalid --log-level: "loud". It must be one of fatal, error, warn, info, debug, trace, silent.',
    ],
    [[], { TRANSLATION_STATUS_TIME_SCALE: '-1' }, 'Invalid TRANSLATION_STATUS_TIME_SCALE: -1.'],
    [['--nope'], {}, "Unknown option '--nope'"],
    [['extra'], {}, 'extra'],
  ])('exits 2 naming the problem for %j %j', async (args, env, message) => {
    const c = capture(env);
    expect(await main(['serve', ...args], c.io)).toBe(2);
    expect(c.err()).toContain(message);
    expect(c.err()).toContain("Run 'translation-status serve --help'");
  });
});
