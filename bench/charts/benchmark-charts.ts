/**
 * The charts of docs/benchmarks.md that say more than their tables: what each end-to-end waiter spends
 * and how late it learns, and what the server holds in memory per kind of held wait. Pure: rows in,
 * SVG text out.
 */
import { barPanel, legend, panelHeight, svgDocument, type BarPanel } from './svg.js';
import { cellNumber, type TableRow } from './doc-tables.js';

const WIDTH = 900;
const BLUE = '#1f6feb';
const ORANGE = '#d97706';
const GREY = '#8b949e';

const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const ms = (value: number): string => (value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`);

/** From the end-to-end table: requests per job, and mean and p95 detection delay (log), per waiter. */
export function e2eChart(rows: readonly TableRow[]): string {
  const requests: BarPanel = {
    title: 'Requests per job (fewer is better)',
    axisLabel: 'requests per job',
    scale: 'linear',
    series: [{ name: 'requests per job', color: BLUE }],
    rows: rows.map((row) => ({ label: row['Waiter'] ?? '', values: [cellNumber(row, 'per job')] })),
    format: fixed(2),
  };
  const delay: BarPanel = {
    title: 'How late the waiter learns the job ended (log scale; shorter is better)',
    axisLabel: 'detection delay, ms (log)',
    scale: 'log',
    series: [
      { name: 'mean', color: BLUE },
      { name: 'p95', color: ORANGE },
    ],
    rows: rows.map((row) => ({
      label: row['Waiter'] ?? '',
      values: [cellNumber(row, 'Delay mean'), cellNumber(row, 'p95')],
    })),
    target: { value: 20, label: 'target: mean < 20 ms' },
    format: ms,
  };
  const first = panelHeight(requests);
  const height = 50 + first + panelHeight(delay) + 30;
  return svgDocument(WIDTH, height, 'End to end: real jobs, real waiters over loopback (npm run bench:e2e)', [
    ...barPanel(requests, { x: 20, y: 40, width: WIDTH - 40 }),
    ...barPanel(delay, { x: 20, y: 50 + first, width: WIDTH - 40 }),
    ...legend(delay.series, { x: 190, y: height - 14, width: WIDTH }),
  ]);
}

/** From the held-waits table: resident memory before and at peak, and peak heap, per kind of wait. */
export function heldMemoryChart(rows: readonly TableRow[]): string {
  const series = [
    { name: 'RSS before', color: GREY },
    { name: 'RSS peak', color: BLUE },
    { name: 'heap peak', color: ORANGE },
  ];
  const panel: BarPanel = {
    title: `Server memory while holding ${rows[0]?.['Waiters'] ?? 'many'} waits of one kind (less is better)`,
    axisLabel: 'MiB',
    scale: 'linear',
    series,
    rows: rows.map((row) => ({
      label: row['Held waits'] ?? '',
      values: [cellNumber(row, 'RSS before'), cellNumber(row, 'RSS peak'), cellNumber(row, 'Heap peak')],
    })),
    target: { value: 256, label: 'target: RSS < 256 MiB' },
    format: (value) => `${fixed(0)(value)} MiB`,
  };
  const height = 50 + panelHeight(panel) + 30;
  return svgDocument(WIDTH, height, 'Held waits on one server process (npm run bench:server)', [
    ...barPanel(panel, { x: 20, y: 40, width: WIDTH - 40 }),
    ...legend(series, { x: 190, y: height - 14, width: WIDTH }),
  ]);
}
