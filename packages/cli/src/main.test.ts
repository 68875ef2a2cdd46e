import { SETTING_SPECS } from '@translation-status/server';
import { describe, expect, it } from 'vitest';
import { NON_EMPTY } from './args/flags.js';
import { flagDetails, flagSynopsis } from './args/help.js';
import { COMMANDS } from './commands/index.js';
import { cliVersion, main } from './main.js';
import type { CliIo } from './output/io.js';

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
    for (const command of COMMANDS) expect(c.out()).toContain(`  ${command.name}`);
    expect(COMMANDS.map((command) => command.name)).toEqual([
      'serve',
      'create',
      'status',
      'wait',
      'cancel',
      'listen',
      'demo',
    ]);
  });

  it('prints usage and exits 2 without a command', async () => {
    const c = capture();
    expect(await main([], c.io)).toBe(2);
    expect(c.err()).toContain('Usage: translation-status <command>');
  });

  it('rejects an unknown command with exit 2, suggesting the closest', async () => {
    const c = capture();
    expect(await main(['wiat'], c.io)).toBe(2);
    expect(c.err()).toContain("unknown command 'wiat'. Did you mean wait?");
  });

  it.each([['--version'], ['-v']])('%s prints the package version', async (flag) => {
    const c = capture();
    expect(await main([flag], c.io)).toBe(0);
    expect(c.out()).toBe(`${cliVersion()}\n`);
    expect(cliVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('help is derived from the flag declarations', () => {
  it.each(COMMANDS.map((command) => [command.name, command] as const))(
    '%s --help shows every flag with what it accepts, and every exit code',
    async (name, command) => {
      const c = capture();
      expect(await main([name, '--help'], c.io)).toBe(0);
      expect(c.out()).toBe(command.help);
      const flat = c.out().replace(/\s+/g, ' ');
      for (const [flagName, flag] of Object.entries(command.spec.flags)) {
        expect(flat).toContain(flagSynopsis(flagName, flag));
        expect(flat).toContain(flagDetails(flag));
      }
      for (const code of Object.keys(command.spec.exits))
        expect(c.out()).toMatch(new RegExp(`^  ${code} `, 'm'));
    },
  );
});

describe('help and errors agree on what a flag accepts', () => {
  const cases = COMMANDS.flatMap((command) =>
    Object.entries(command.spec.flags)
      .filter(([, flag]) => flag.metavar !== undefined && flag.accepts !== undefined)
      .map(([name, flag]) => [command.name, name, flag, command] as const),
  );

  it.each(cases)('%s --%s', async (name, flagName, flag, command) => {
    const bad = flag.read('not-a-value') === undefined ? 'not-a-value' : '';
    const required = Object.entries(command.spec.flags)
      .filter(([other, f]) => f.required === true && other !== flagName)
      .flatMap(([other]) => [`--${other}`, other === 'duration' ? '5' : 'es']);
    const positionals = command.spec.positionals.filter((p) => p.optional !== true).map(() => 'job_1');
    const c = capture();
    expect(await main([name, ...positionals, ...required, `--${flagName}`, bad], c.io)).toBe(2);
    expect(c.err()).toContain(`It must be ${flag.accepts ?? ''}.`);
    const help = capture();
    await main([name, '--help'], help.io);
    if (flag.accepts !== NON_EMPTY) expect(help.out().replace(/\s+/g, ' ')).toContain(flag.accepts);
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
    [['--port', '70000'], {}, 'invalid --port: "70000". It must be a whole number from 0 to 65535.'],
    [['--port', '-1'], {}, 'invalid --port: "-1". It must be a whole number from 0 to 65535.'],
    [['--error-rate', 'lots'], {}, 'invalid --error-rate: "lots". It must be a number from 0 to 1.'],
    [
      ['--log-level', 'loud'],
      {},
      'invalid --log-level: "loud". It must be one of fatal, error, warn, info, debug, trace, silent.',
    ],
    [[], { TRANSLATION_STATUS_TIME_SCALE: '-1' }, 'Invalid TRANSLATION_STATUS_TIME_SCALE: -1.'],
    [['--prot', '1'], {}, 'unknown flag --prot. Did you mean --port?'],
    [['extra'], {}, "unexpected argument 'extra'"],
  ])('exits 2 naming the problem for %j %j', async (args, env, message) => {
    const c = capture(env);
    expect(await main(['serve', ...args], c.io)).toBe(2);
    expect(c.err()).toContain(message);
    expect(c.err()).toContain("Run 'translation-status serve --help'");
  });
});

describe('usage errors', () => {
  it('are JSON on stdout too when --json is given', async () => {
    const c = capture();
    expect(await main(['wait', '--json', '--timeout', '-1'], c.io)).toBe(2);
    expect(JSON.parse(c.out())).toMatchObject({ event: 'error', exit_code: 2, code: 'usage', job_id: null });
    expect(c.err()).toContain('invalid --timeout: "-1"');
  });
});
