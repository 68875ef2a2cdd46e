/**
 * Progress as text: pure functions from a job's last known state to one line, so the terminal board,
 * the plain log and the tests all agree on what is shown.
 */
import { formatDuration } from '../args/duration.js';

/** What a line shows about one job. */
export interface JobView {
  readonly label: string;
  readonly result: 'pending' | 'completed' | 'error';
  readonly stage: string | undefined;
  /** 0 to 1, as the server last said. */
  readonly progress: number | undefined;
  /** The server's estimate of the remaining milliseconds when last seen. */
  readonly etaMs: number | undefined;
  /** Milliseconds since that status was seen, to count the estimate down between updates. */
  readonly sinceMs: number;
  readonly errorCode?: string | undefined;
}

const ANSI = {
  reset: '\u001b[0m',
  green: '\u001b[32m',
  red: '\u001b[31m',
  cyan: '\u001b[36m',
  dim: '\u001b[2m',
};

/** Progress between server updates, moved along by the ETA: never backwards, never 100% while pending. */
export function estimateProgress(
  progress: number | undefined,
  etaMs: number | undefined,
  sinceMs: number,
): number {
  const base = Math.min(1, Math.max(0, progress ?? 0));
  if (etaMs === undefined || etaMs <= 0 || sinceMs <= 0) return base;
  const moved = (1 - base) * Math.min(1, sinceMs / etaMs);
  return Math.min(0.99, base + moved);
}

/** `[██████░░░░]` for a fraction in [0, 1]. */
export function renderBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function paint(text: string, color: keyof typeof ANSI, enabled: boolean): string {
  return enabled ? `${ANSI[color]}${text}${ANSI.reset}` : text;
}

/** One line of the live board, e.g. `es  [████░░░░]  42%  voice_synthesis   ~6.1s left`. */
export function renderProgressLine(
  view: JobView,
  options: { readonly barWidth: number; readonly labelWidth: number; readonly color: boolean },
): string {
  const label = view.label.padEnd(options.labelWidth);
  if (view.result === 'completed') {
    return `${label}  ${paint(renderBar(1, options.barWidth), 'green', options.color)} 100%  ${paint('completed', 'green', options.color)}`;
  }
  if (view.result === 'error') {
    const shown = renderBar(view.progress ?? 0, options.barWidth);
    const why = `failed${view.errorCode === undefined ? '' : `: ${view.errorCode}`}`;
    return `${label}  ${paint(shown, 'red', options.color)} ${percent(view.progress ?? 0)}  ${paint(why, 'red', options.color)}`;
  }
  const fraction = estimateProgress(view.progress, view.etaMs, view.sinceMs);
  const left =
    view.etaMs === undefined ? '' : `  ~${formatDuration(Math.max(0, view.etaMs - view.sinceMs))} left`;
  const stage = (view.stage ?? 'pending').padEnd(15);
  return `${label}  ${paint(renderBar(fraction, options.barWidth), 'cyan', options.color)} ${percent(fraction)}  ${stage}${paint(left, 'dim', options.color)}`;
}

function percent(fraction: number): string {
  return `${String(Math.floor(fraction * 100)).padStart(3)}%`;
}

/** Visible width: ANSI colour codes take no columns. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

const BAR_WIDTHS = [24, 20, 16, 12, 8, 4];

/**
 * The line for a terminal `columns` wide: the widest bar that fits in one column less (a line that
 * wraps would break the redraw's count of lines); if even the narrowest does not, cut to fit, uncoloured.
 */
export function fitProgressLine(
  view: JobView,
  options: { readonly columns: number; readonly labelWidth: number; readonly color: boolean },
): string {
  const room = Math.max(10, options.columns - 1);
  for (const barWidth of BAR_WIDTHS) {
    const line = renderProgressLine(view, { barWidth, labelWidth: options.labelWidth, color: options.color });
    if (visibleLength(line) <= room) return line;
  }
  const plain = renderProgressLine(view, { barWidth: 4, labelWidth: options.labelWidth, color: false });
  return plain.slice(0, room);
}

/** Moves the cursor to the board's first line and clears to the end of the screen. */
export function eraseBoard(previousLines: number): string {
  return previousLines > 0 ? `\u001b[${previousLines}A\r\u001b[J` : '';
}

/**
 * Moves the cursor back over a board of `previousLines` and draws `lines` in its place; each line is
 * cleared first so a shorter line leaves nothing behind.
 */
export function redrawBoard(previousLines: number, lines: readonly string[]): string {
  const up = previousLines > 0 ? `\u001b[${previousLines}A` : '';
  return `${up}${lines.map((line) => `\r\u001b[2K${line}\n`).join('')}`;
}
