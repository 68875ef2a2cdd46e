/**
 * Reads the tables the benchmarks write into docs/benchmarks.md back as rows, so the charts always
 * draw the figures the document shows, whichever run produced them. Pure.
 */
import { beginMarker, endMarker } from '../e2e/sections.js';

export type TableRow = Readonly<Record<string, string>>;

/** The text between the markers of generated section `name`; throws naming the missing marker. */
export function generatedSection(doc: string, name: string): string {
  const begin = doc.indexOf(beginMarker(name));
  const end = doc.indexOf(endMarker(name));
  if (begin === -1 || end === -1 || end < begin) {
    throw new Error(`docs/benchmarks.md has no generated section '${name}' (${beginMarker(name)})`);
  }
  return doc.slice(begin, end);
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

/** The first Markdown table in `text` whose first header cell is `firstHeader`, as rows by header. */
export function tableByFirstHeader(text: string, firstHeader: string): TableRow[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith('|') && cells(line)[0] === firstHeader);
  if (start === -1) throw new Error(`no table whose first column is '${firstHeader}'`);
  const headers = cells(lines[start] ?? '');
  const rows: TableRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    const values = cells(line);
    rows.push(Object.fromEntries(headers.map((header, i) => [header, values[i] ?? ''])));
  }
  return rows;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, ms: 1, s: 1000, MiB: 1, GiB: 1024 };

/**
 * A cell's number in the column's base unit (ms for times, MiB for memory): `517 ms` → 517,
 * `1.5 s` → 1500, `1.1 GiB` → 1126.4, `17.3` → 17.3. Throws on anything else, naming the cell.
 */
export function cellNumber(row: TableRow, column: string): number {
  const text = row[column] ?? '';
  const match = /^(-?\d+(?:\.\d+)?)\s*(ms|s|MiB|GiB)?$/.exec(text);
  if (match === null) throw new Error(`column '${column}' holds '${text}', not a number`);
  return Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1);
}
