/**
 * `npm run docs:charts`: redraws docs/benchmarks-e2e.svg and docs/benchmarks-server-memory.svg from the
 * tables in docs/benchmarks.md. The full end-to-end and server benchmarks call it after they rewrite
 * their sections, so a chart never shows other figures than its table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { e2eChart, heldMemoryChart } from './benchmark-charts.js';
import { generatedSection, tableByFirstHeader } from './doc-tables.js';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));

/** Redraws both charts from the document as it is now; returns the files written. */
export function writeBenchmarkCharts(docsDir = DOCS): string[] {
  const doc = readFileSync(`${docsDir}benchmarks.md`, 'utf8');
  const charts: [string, string][] = [
    ['benchmarks-e2e.svg', e2eChart(tableByFirstHeader(generatedSection(doc, 'e2e'), 'Waiter'))],
    [
      'benchmarks-server-memory.svg',
      heldMemoryChart(tableByFirstHeader(generatedSection(doc, 'server'), 'Held waits')),
    ],
  ];
  for (const [name, svg] of charts) writeFileSync(`${docsDir}${name}`, svg);
  return charts.map(([name]) => `${docsDir}${name}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of writeBenchmarkCharts()) console.log(`wrote ${file}`);
}
