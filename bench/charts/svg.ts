/**
 * Dependency-free SVG pieces the benchmark charts share: escaping, log-axis decades, and a panel of
 * horizontal bars (one row per subject, one bar per series) on a linear or log axis.
 */

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The whole decades that hold every (positive) value: [floor(log10 min), ceil(log10 max)]. */
export function decadeRange(values: readonly number[]): [number, number] {
  const logs = values.map((v) => Math.log10(v));
  return [Math.floor(Math.min(...logs)), Math.ceil(Math.max(...logs))];
}

export function formatDecade(exp: number): string {
  const value = 10 ** exp;
  return value >= 1 ? value.toFixed(0) : value.toFixed(-exp);
}

export interface Series {
  readonly name: string;
  readonly color: string;
}

export interface BarPanel {
  readonly title: string;
  /** Shown under the axis, e.g. `requests per job`. */
  readonly axisLabel: string;
  readonly scale: 'linear' | 'log';
  readonly series: readonly Series[];
  /** One row per subject; one value per series, in the series' order. */
  readonly rows: readonly { readonly label: string; readonly values: readonly number[] }[];
  /** A dashed line at a target value, with its label. */
  readonly target?: { readonly value: number; readonly label: string };
  /** How a bar's value is printed at its end. */
  readonly format: (value: number) => string;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

const BAR = 11;
const ROW_GAP = 12;
const LABEL_WIDTH = 170;
const VALUE_ROOM = 70;

/** Height a panel with these rows and series needs. */
export function panelHeight(panel: BarPanel): number {
  return plotTop(panel) + panel.rows.length * (panel.series.length * BAR + ROW_GAP) + 40;
}

/** Room above the bars: the title, and the target's label when there is one. */
function plotTop(panel: BarPanel): number {
  return panel.target === undefined ? 30 : 44;
}

function linearTicks(max: number): number[] {
  const step = 10 ** Math.floor(Math.log10(max));
  const unit = max / step > 5 ? step : max / step > 2 ? step / 2 : step / 5;
  const ticks: number[] = [];
  for (let t = 0; t <= max + unit / 1000; t += unit) ticks.push(Number(t.toPrecision(6)));
  return ticks;
}

/** The SVG elements of one panel, drawn inside `box`. */
export function barPanel(panel: BarPanel, box: Box): string[] {
  const values = panel.rows.flatMap((row) => row.values).filter((v) => Number.isFinite(v) && v > 0);
  const targetValues = panel.target === undefined ? [] : [panel.target.value];
  const plotX = box.x + LABEL_WIDTH;
  const plotW = box.width - LABEL_WIDTH - VALUE_ROOM;
  const top = box.y + plotTop(panel);
  const bottom = box.y + panelHeight(panel) - 40;
  let position: (v: number) => number;
  let ticks: { value: number; text: string }[];
  if (panel.scale === 'log') {
    const [lo, hi] = decadeRange([...values, ...targetValues]);
    const span = Math.max(1, hi - lo);
    position = (v) => plotX + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / span) * plotW;
    ticks = Array.from({ length: span + 1 }, (_, i) => ({
      value: 10 ** (lo + i),
      text: formatDecade(lo + i),
    }));
  } else {
    const max = Math.max(...values, ...targetValues) * 1.05;
    position = (v) => plotX + (v / max) * plotW;
    ticks = linearTicks(max).map((value) => ({ value, text: String(value) }));
  }
  const out: string[] = [
    `<text x="${box.x}" y="${box.y + 14}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`,
  ];
  for (const tick of ticks) {
    const x = position(tick.value).toFixed(1);
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${bottom + 14}" text-anchor="middle" fill="#555">${tick.text}</text>`);
  }
  out.push(
    `<text x="${plotX + plotW / 2}" y="${bottom + 30}" text-anchor="middle">${escapeXml(panel.axisLabel)}</text>`,
  );
  let y = top;
  for (const row of panel.rows) {
    const rowHeight = panel.series.length * BAR;
    out.push(
      `<text x="${plotX - 8}" y="${(y + rowHeight / 2).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${escapeXml(row.label)}</text>`,
    );
    panel.series.forEach((series, i) => {
      const value = row.values[i] ?? Number.NaN;
      const barY = y + i * BAR;
      if (!Number.isFinite(value)) return;
      const end = position(value);
      out.push(
        `<rect x="${plotX}" y="${barY + 1}" width="${Math.max(1, end - plotX).toFixed(1)}" height="${BAR - 2}" fill="${series.color}"/>`,
        `<text x="${(end + 4).toFixed(1)}" y="${barY + BAR / 2}" dominant-baseline="middle" font-size="10" fill="#333">${escapeXml(panel.format(value))}</text>`,
      );
    });
    y += rowHeight + ROW_GAP;
  }
  out.push(`<line x1="${plotX}" y1="${top}" x2="${plotX}" y2="${bottom}" stroke="#333"/>`);
  if (panel.target !== undefined) {
    const x = position(panel.target.value).toFixed(1);
    out.push(
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${bottom}" stroke="#b42318" stroke-dasharray="5 3"/>`,
      `<text x="${x}" y="${top - 9}" text-anchor="middle" font-size="10" fill="#b42318">${escapeXml(panel.target.label)}</text>`,
    );
  }
  return out;
}

/** A legend line for the series, from `box`'s left edge. */
export function legend(series: readonly Series[], box: Box): string[] {
  let x = box.x;
  const out: string[] = [];
  for (const s of series) {
    out.push(
      `<rect x="${x}" y="${box.y - 9}" width="12" height="10" fill="${s.color}"/>`,
      `<text x="${x + 17}" y="${box.y}">${escapeXml(s.name)}</text>`,
    );
    x += 30 + s.name.length * 6.5;
  }
  return out;
}

/** A whole SVG document of `width` × `height` around `body`, titled. */
export function svgDocument(width: number, height: number, title: string, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="20" y="24" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
