/**
 * packages/cli/README.md has one table of commands, flags, exit codes and JSON events; it must say what
 * the declarations say (the same declarations --help and the parser read). `UPDATE_README=1 npx vitest
 * run packages/cli/src/readme.test.ts` rewrites it after a change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';
import { parseTable, readmeRows, renderTable, TABLE_END, TABLE_START } from './test-support/readme-table.js';

const README = new URL('../README.md', import.meta.url);

describe('the CLI README', () => {
  it('has the one table the declarations give: every command, flag, exit code and JSON event', () => {
    const text = readFileSync(README, 'utf8');
    const start = text.indexOf(TABLE_START);
    const end = text.indexOf(TABLE_END);
    expect(start, 'the README lost its table markers').toBeGreaterThan(-1);
    const expected = renderTable(readmeRows(COMMANDS));
    if (process.env['UPDATE_README'] === '1') {
      writeFileSync(
        README,
        `${text.slice(0, start + TABLE_START.length)}\n\n${expected}\n\n${text.slice(end)}`,
      );
      return;
    }
    const shown = parseTable(text.slice(start, end));
    expect(
      shown,
      `run UPDATE_README=1 npx vitest run packages/cli/src/readme.test.ts, or paste:\n${expected}`,
    ).toEqual(parseTable(expected).map((row) => row.map((c) => c.replace(/\s+/g, ' '))));
  });

  it('has no second table of its own', () => {
    const text = readFileSync(README, 'utf8');
    const outside = text.slice(0, text.indexOf(TABLE_START)) + text.slice(text.indexOf(TABLE_END));
    expect(parseTable(outside)).toEqual([]);
  });
});
