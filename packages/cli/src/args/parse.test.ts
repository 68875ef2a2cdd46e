import { describe, expect, it } from 'vitest';
import { booleanFlag, choiceFlag, durationFlag, numberFlag, textFlag, toggleFlag } from './flags.js';
import { asksForHelp, parseArgs } from './parse.js';

const spec = {
  positionals: [{ name: 'job-id', help: 'the job', optional: true as const }],
  flags: {
    count: numberFlag({ metavar: 'N', help: 'how many', min: 0, minExclusive: true, integer: true }),
    ratio: numberFlag({ metavar: 'X', help: 'a share', min: 0, max: 1, default: 0.5 }),
    timeout: durationFlag({ metavar: 'DURATION', help: 'how long' }),
    mode: choiceFlag({ metavar: 'MODE', help: 'how', values: ['a', 'b'], default: 'a' }),
    name: textFlag({ metavar: 'NAME', help: 'who', env: 'TEST_NAME' }),
    key: textFlag({ metavar: 'KEY', help: 'secret', secret: true }),
    json: booleanFlag({ help: 'JSON', short: 'j' }),
    sync: toggleFlag({ help: 'sync' }),
  },
};

describe('parseArgs', () => {
  it('fills in defaults and leaves optional values undefined', () => {
    expect(parseArgs(spec, [], {})).toEqual({
      values: {
        count: undefined,
        ratio: 0.5,
        timeout: undefined,
        mode: 'a',
        name: undefined,
        key: undefined,
        json: false,
        sync: undefined,
      },
      positionals: [undefined],
    });
  });

  it('reads --flag value, --flag=value, short switches and --no- forms', () => {
    const { values, positionals } = parseArgs(
      spec,
      ['job_1', '--count', '3', '--ratio=0.25', '--timeout', '2h30m', '-j', '--no-sync', '--mode', 'b'],
      {},
    );
    expect(values).toMatchObject({
      count: 3,
      ratio: 0.25,
      timeout: 9_000_000,
      json: true,
      sync: false,
      mode: 'b',
    });
    expect(positionals).toEqual(['job_1']);
  });

  it('takes a flag from its environment variable when absent, the flag first', () => {
    expect(parseArgs(spec, [], { TEST_NAME: 'env' }).values.name).toBe('env');
    expect(parseArgs(spec, ['--name', 'flag'], { TEST_NAME: 'env' }).values.name).toBe('flag');
    expect(parseArgs(spec, [], { TEST_NAME: '' }).values.name).toBeUndefined();
  });

  it('treats everything after -- as positionals', () => {
    expect(parseArgs(spec, ['--', '--json'], {}).positionals).toEqual(['--json']);
  });

  it.each([
    // A negative number is a value out of range, not an ambiguous flag.
    [['--count', '-5'], 'invalid --count: "-5". It must be a whole number greater than 0.'],
    [['--count', '0'], 'invalid --count: "0". It must be a whole number greater than 0.'],
    [['--count', '1.5'], 'invalid --count: "1.5". It must be a whole number greater than 0.'],
    [['--ratio', '-0.5'], 'invalid --ratio: "-0.5". It must be a number from 0 to 1.'],
    [['--timeout', '-1s'], 'invalid --timeout: "-1s". It must be a duration greater than 0'],
    [['--timeout', '0'], 'invalid --timeout: "0". It must be a duration greater than 0'],
    [['--mode', 'c'], 'invalid --mode: "c". It must be one of a, b.'],
    [['--name', ''], 'invalid --name: "". It must be non-empty text.'],
    [['--count'], '--count needs a value: N, a whole number greater than 0.'],
    [['--count', '--json'], '--count needs a value'],
    [['--json=yes'], '--json takes no value'],
    [['--count', '1', '--count', '2'], '--count was given twice.'],
    [['--conut', '1'], 'unknown flag --conut. Did you mean --count?'],
    [['--time', '1s'], 'unknown flag --time. Did you mean --timeout?'],
    [['--zzzzzz'], 'unknown flag --zzzzzz.'],
    [['-x'], 'unknown flag -x.'],
    [['--no-json'], 'unknown flag --no-json.'],
    [['a', 'b'], "unexpected argument 'b'."],
    [[''], 'the job-id must not be empty: the job.'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseArgs(spec, argv, {})).toThrow(message);
  });

  it('names the variable when the bad value came from the environment', () => {
    expect(() =>
      parseArgs(
        { ...spec, flags: { n: numberFlag({ metavar: 'N', help: 'n', env: 'N_ENV', min: 1 }) } },
        [],
        { N_ENV: '0' },
      ),
    ).toThrow('invalid N_ENV: "0". It must be a number, 1 or more.');
  });

  it('never prints a secret value', () => {
    expect(() => parseArgs(spec, ['--key', ''], {})).toThrow('invalid --key: (hidden).');
  });

  it('requires required flags and positionals, naming them', () => {
    const strict = {
      positionals: [{ name: 'job-id', help: 'the job' }],
      flags: { target: textFlag({ metavar: 'LANG', help: 'the language', required: true }) },
    };
    expect(() => parseArgs(strict, ['--target', 'es'], {})).toThrow('the job-id is required: the job.');
    expect(() => parseArgs(strict, ['job_1'], {})).toThrow('--target is required: the language.');
  });
});

describe('asksForHelp', () => {
  it.each([
    [['--help'], true],
    [['-h'], true],
    [['--bogus', '--help'], true],
    [['--', '--help'], false],
    [['--json'], false],
  ])('%j → %s', (argv, expected) => {
    expect(asksForHelp(argv)).toBe(expected);
  });
});
