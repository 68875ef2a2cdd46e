/**
 * Human durations on the command line: `90s`, `10m`, `2h30m`, `1m30s`, `250ms`, `1.5s`, or plain
 * milliseconds; and the short form progress lines print.
 */

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
/** Units in the order they may follow one another: `2h30m15s`, never `30m2h`. */
const ORDER = ['h', 'm', 's', 'ms'];
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

/** Milliseconds, or undefined when `text` is not a duration greater than 0. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return positive(Number(trimmed));
  let total = 0;
  let lastUnit = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const match = PART.exec(trimmed);
    if (match === null) return undefined;
    const unit = ORDER.indexOf(match[2] ?? '');
    if (unit <= lastUnit) return undefined;
    lastUnit = unit;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  return lastUnit === -1 ? undefined : positive(total);
}

function positive(ms: number): number | undefined {
  const rounded = Math.round(ms);
  return rounded > 0 && Number.isFinite(rounded) ? rounded : undefined;
}

/** `450ms`, `1.2s`, `45s`, `3m05s`, `1h02m`: short, for progress lines. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
