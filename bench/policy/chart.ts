/**
 * A dependency-free SVG scatter: requests per job (log) against p95 detection delay (log), one labelled
 * point per strategy. Zero delays cannot sit on a log axis, so they are drawn on the floor line.
 */
import { decadeRange, escapeXml, formatDecade } from '../charts/svg.js';
import type { StrategySummary } from './stats.js';

const WIDTH = 860;
const HEIGHT = 540;
const MARGIN = { left: 80, right: 250, top: 40, bottom: 60 };
/** Delays below this (including 0) are drawn at this height, and said so in the axis label. */
const DELAY_FLOOR_S = 0.01;
const LABEL_HEIGHT = 14;

/** A point per row: its name, mean requests per job and p95 detection delay. */
export type ChartRow = Pick<StrategySummary, 'name' | 'requestsMean' | 'delayP95Ms'>;

export function policyChart(summaries: readonly ChartRow[]): string {
  const points = summaries
    .filter((s) => !Number.isNaN(s.requestsMean) && !Number.isNaN(s.delayP95Ms))
    .map((s) => ({
      name: s.name,
      x: Math.max(1, s.requestsMean),
      y: Math.max(DELAY_FLOOR_S, s.delayP95Ms / 1000),
    }));
  const [x0, x1] = decadeRange(points.map((p) => p.x));
  const [y0, y1] = decadeRange(points.map((p) => p.y));
  const xSpan = Math.max(1, x1 - x0);
  const ySpan = Math.max(1, y1 - y0);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (v: number): number => MARGIN.left + ((Math.log10(v) - x0) / xSpan) * plotW;
  const py = (v: number): number => MARGIN.top + plotH - ((Math.log10(v) - y0) / ySpan) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">Polling policies: requests per job vs p95 detection delay (log-log; lower left is better)</text>`,
  ];
  for (let e = x0; e <= x0 + xSpan; e++) {
    const x = px(10 ** e).toFixed(1);
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${formatDecade(e)}</text>`);
  }
  for (let e = y0; e <= y0 + ySpan; e++) {
    const y = py(10 ** e).toFixed(1);
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#ddd"/>`);
    out.push(
      `<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatDecade(e)}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 18}" text-anchor="middle">requests per job (mean)</text>`,
    `<text transform="translate(22 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">p95 detection delay, s (0 drawn at ${DELAY_FLOOR_S})</text>`,
  );
  const placed: { x: number; y: number }[] = [];
  for (const p of [...points].sort((a, b) => py(a.y) - py(b.y))) {
    const cx = px(p.x);
    const cy = py(p.y);
    let ly = cy;
    // Nudge a label down until it clears the labels already placed nearby.
    while (placed.some((q) => Math.abs(q.x - cx) < 200 && Math.abs(q.y - ly) < LABEL_HEIGHT))
      ly += LABEL_HEIGHT;
    placed.push({ x: cx, y: ly });
    out.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="5" fill="#1f6feb"/>`);
    out.push(
      `<text x="${(cx + 9).toFixed(1)}" y="${ly.toFixed(1)}" dominant-baseline="middle">${escapeXml(p.name)}</text>`,
    );
  }
  out.push('</svg>', '');
  return out.join('\n');
}
