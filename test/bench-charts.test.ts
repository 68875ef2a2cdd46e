import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { e2eChart, heldMemoryChart } from '../bench/charts/benchmark-charts.js';
import { cellNumber, generatedSection, tableByFirstHeader } from '../bench/charts/doc-tables.js';
import { replaceBlocks } from '../bench/e2e/sections.js';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
const doc = readFileSync(`${DOCS}benchmarks.md`, 'utf8');

describe('reading the generated tables of docs/benchmarks.md', () => {
  it('finds a table by its first column and reads each row by header', () => {
    const rows = tableByFirstHeader(
      'text\n\n| A | B c |\n| - | --- |\n| x | 1.5 s |\n| y | 12 ms |\n\nafter',
      'A',
    );
    expect(rows).toEqual([
      { A: 'x', 'B c': '1.5 s' },
      { A: 'y', 'B c': '12 ms' },
    ]);
  });

  it.each([
    ['17.3', 17.3],
    ['517 ms', 517],
    ['1.5 s', 1500],
    ['318.1 MiB', 318.1],
    ['1.5 GiB', 1536],
  ])('reads %s as %d in the base unit', (text, value) => {
    expect(cellNumber({ c: text }, 'c')).toBeCloseTo(value);
  });

  it('names the column and the cell it cannot read', () => {
    expect(() => cellNumber({ c: 'n/a' }, 'c')).toThrow("column 'c' holds 'n/a', not a number");
    expect(() => generatedSection('no markers', 'e2e')).toThrow("no generated section 'e2e'");
  });
});

describe('a partial benchmark run rewriting its parts of a section', () => {
  const section = '- header\n\n#### A\n\nold a\n\n#### B\n\nold b\n';
  it.each([
    [
      'replaces a block by its heading and keeps the others',
      ['#### B\n\nnew b'],
      '- header\n\n#### A\n\nold a\n\n#### B\n\nnew b',
    ],
    [
      'adds a block it does not find at the end',
      ['#### C\n\nc'],
      '- header\n\n#### A\n\nold a\n\n#### B\n\nold b\n\n#### C\n\nc',
    ],
    ['changes nothing without blocks', [], '- header\n\n#### A\n\nold a\n\n#### B\n\nold b'],
  ])('%s', (_name, blocks, expected) => {
    expect(replaceBlocks(section, blocks)).toBe(expected);
  });

  it('keeps a heading that is only a prefix of another apart', () => {
    expect(replaceBlocks('#### Held\n\nx\n\n#### Held waits\n\ny', ['#### Held waits\n\nz'])).toBe(
      '#### Held\n\nx\n\n#### Held waits\n\nz',
    );
  });
});

describe('the benchmark charts', () => {
  const e2eRows = tableByFirstHeader(generatedSection(doc, 'e2e'), 'Waiter');
  const heldRows = tableByFirstHeader(generatedSection(doc, 'server'), 'Held waits');

  it('draw every row of their tables with its figures', () => {
    const e2e = e2eChart(e2eRows);
    for (const row of e2eRows) {
      expect(e2e).toContain(`>${row['Waiter'] ?? '?'}</text>`);
      expect(e2e).toContain(`>${cellNumber(row, 'per job').toFixed(2)}</text>`);
    }
    const held = heldMemoryChart(heldRows);
    for (const row of heldRows) {
      expect(held).toContain(`>${row['Held waits'] ?? '?'}</text>`);
      expect(held).toContain(`>${cellNumber(row, 'RSS peak').toFixed(0)} MiB</text>`);
    }
  });

  it('are committed as npm run docs:charts draws them from the tables', () => {
    expect(readFileSync(`${DOCS}benchmarks-e2e.svg`, 'utf8')).toBe(e2eChart(e2eRows));
    expect(readFileSync(`${DOCS}benchmarks-server-memory.svg`, 'utf8')).toBe(heldMemoryChart(heldRows));
  });
});
