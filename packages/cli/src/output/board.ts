/**
 * Shows waits as they happen: a live board of progress bars redrawn in place on a terminal, one plain
 * line per event otherwise, or one JSON object per line for scripts.
 */
import type { JobStatus } from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import type { CliIo } from './io.js';
import { redrawBoard, renderProgressLine, type JobView } from './progress.js';

export type BoardMode = 'tty' | 'lines' | 'json';

export interface BoardOptions {
  readonly out: CliIo['stdout'];
  readonly mode: BoardMode;
  readonly color: boolean;
  readonly now?: () => number;
  /** How often the terminal board counts the estimate down between updates. @default 250 */
  readonly tickMs?: number;
}

interface Row {
  status: JobStatus | undefined;
  seenAt: number;
}

/** The output mode a command gets: JSON when asked or piped, the live board on a terminal. */
export function boardMode(io: CliIo, json: boolean): BoardMode {
  if (json) return 'json';
  return io.stdout.isTTY === true ? 'tty' : 'lines';
}

export class ProgressBoard {
  private readonly rows = new Map<string, Row>();
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly labelWidth: number;
  private drawnLines = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    labels: readonly string[],
    private readonly options: BoardOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.labelWidth = Math.max(...labels.map((label) => label.length));
    for (const label of labels) this.rows.set(label, { status: undefined, seenAt: this.startedAt });
    if (options.mode === 'tty') {
      this.draw();
      this.ticker = setInterval(() => {
        this.draw();
      }, options.tickMs ?? 250);
      this.ticker.unref();
    }
  }

  status(label: string, status: JobStatus, transport: string): void {
    const row = this.rows.get(label);
    if (row === undefined) return;
    const before = row.status;
    row.status = status;
    row.seenAt = this.now();
    if (this.options.mode === 'tty') {
      this.draw();
    } else if (this.options.mode === 'json') {
      this.json({ event: 'status', job: label, ...statusFields(status), transport });
    } else if (before?.stage !== status.stage || before?.result !== status.result) {
      const eta = status.etaMs === undefined ? '' : `  eta ${formatDuration(status.etaMs)}`;
      const progress = status.progress === undefined ? '' : `  ${Math.floor(status.progress * 100)}%`;
      const failure = status.error === undefined ? '' : `  ${status.error.code}: ${status.error.message}`;
      this.line(
        `${label.padEnd(this.labelWidth)}  ${status.result.padEnd(9)} ${status.stage ?? ''}${progress}${eta}${failure}  (${transport})`,
      );
    }
  }

  retry(
    label: string,
    info: { attempt: number; delayMs: number; error: { code: string; message: string } },
  ): void {
    if (this.options.mode === 'json') {
      this.json({
        event: 'retry',
        job: label,
        attempt: info.attempt,
        delay_ms: Math.round(info.delayMs),
        code: info.error.code,
      });
    } else if (this.options.mode === 'lines') {
      this.line(
        `${label.padEnd(this.labelWidth)}  retry ${info.attempt} in ${formatDuration(info.delayMs)} after ${info.error.code}`,
      );
    }
    // The terminal board stays clean: a retry shows as a pause, and the summary counts them.
  }

  /** Stops the ticker and draws the final state. Safe to call twice. */
  finish(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.options.mode === 'tty') this.draw();
  }

  /** Milliseconds since the board started. */
  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  json(fields: Record<string, unknown>): void {
    this.options.out.write(`${JSON.stringify({ elapsed_ms: this.elapsedMs(), ...fields })}\n`);
  }

  private line(text: string): void {
    this.options.out.write(`+${formatDuration(this.elapsedMs()).padStart(6)}  ${text}\n`);
  }

  private draw(): void {
    const now = this.now();
    const lines = [...this.rows].map(([label, row]) =>
      renderProgressLine(viewOf(label, row.status, now - row.seenAt), {
        barWidth: 24,
        labelWidth: this.labelWidth,
        color: this.options.color,
      }),
    );
    this.options.out.write(redrawBoard(this.drawnLines, lines));
    this.drawnLines = lines.length;
  }
}

function viewOf(label: string, status: JobStatus | undefined, sinceMs: number): JobView {
  return {
    label,
    result: status?.result ?? 'pending',
    stage: status?.stage ?? 'connecting',
    progress: status?.progress,
    etaMs: status?.etaMs,
    sinceMs,
    errorCode: status?.error?.code,
  };
}

/** The fields of a status worth printing, with the protocol's names. */
export function statusFields(status: JobStatus): Record<string, unknown> {
  return {
    job_id: status.jobId,
    result: status.result,
    stage: status.stage,
    progress: status.progress,
    eta_ms: status.etaMs,
    ...(status.error === undefined ? {} : { error: status.error }),
  };
}
