/**
 * Shows waits as they happen: a live board of progress bars redrawn in place on a terminal, one plain
 * line per change otherwise, or one JSON event per line. Notices (retries, warnings) go to stderr
 * through the board, which lifts itself off the screen first, so no stale bar is left behind.
 */
import type { JobStatus, RetryInfo } from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { eventLine, type EventBody } from './events.js';
import { isLiveTerminal, type CliIo } from './io.js';
import { eraseBoard, fitProgressLine, redrawBoard, type JobView } from './progress.js';
import { retryEvent, retrySentence } from './retry.js';

export type BoardMode = 'tty' | 'lines' | 'json';

export interface BoardRow {
  /** What the row is called on screen: a job id, `default job`, a language. */
  readonly label: string;
  /** Known up front, or learned from the first status. */
  readonly jobId?: string | undefined;
}

export interface BoardOptions {
  readonly io: CliIo;
  readonly mode: BoardMode;
  readonly color: boolean;
  /** `translation-status wait`: the prefix of every notice. */
  readonly name: string;
  /** Demo rows carry their label in JSON events too. */
  readonly labelsInJson?: boolean;
  readonly now?: () => number;
  /** When the command started, for `elapsed_ms` and the `+12s` prefix. @default now() */
  readonly startedAt?: number;
  /** How often the terminal board counts the estimate down between updates. @default 250 */
  readonly tickMs?: number;
}

interface Row {
  readonly label: string;
  jobId: string | undefined;
  status: JobStatus | undefined;
  seenAt: number;
  transport: string | undefined;
}

/** The output mode a command gets: JSON when asked, the live board on a terminal, else plain lines. */
export function boardMode(io: CliIo, json: boolean): BoardMode {
  if (json) return 'json';
  return isLiveTerminal(io) ? 'tty' : 'lines';
}

export class ProgressBoard {
  private readonly rows: Row[];
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly labelWidth: number;
  private drawnLines = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    rows: readonly BoardRow[],
    private readonly options: BoardOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = options.startedAt ?? this.now();
    this.labelWidth = Math.max(...rows.map((row) => row.label.length));
    this.rows = rows.map((row) => ({
      label: row.label,
      jobId: row.jobId,
      status: undefined,
      seenAt: this.startedAt,
      transport: undefined,
    }));
    if (options.mode === 'tty') {
      this.draw();
      this.ticker = setInterval(() => {
        this.draw();
      }, options.tickMs ?? 250);
      this.ticker.unref();
    }
  }

  /** The row for a job id, or the only row when there is one (the default job before its id is known). */
  private rowFor(jobId: string | undefined): Row | undefined {
    return (
      this.rows.find((row) => row.jobId !== undefined && row.jobId === jobId) ??
      (this.rows.length === 1 ? this.rows[0] : undefined)
    );
  }

  status(status: JobStatus, transport: string | undefined, jobId = status.jobId): void {
    const row = this.rowFor(jobId);
    if (row === undefined) return;
    const before = row.status;
    row.status = status;
    row.jobId ??= status.jobId;
    row.seenAt = this.now();
    row.transport = transport;
    if (this.options.mode === 'tty') {
      this.draw();
    } else if (this.options.mode === 'json') {
      this.event(
        {
          event: 'status',
          result: status.result,
          stage: status.stage,
          progress: status.progress,
          eta_ms: status.etaMs,
          error: status.error,
          transport,
        },
        row,
      );
    } else if (before?.stage !== status.stage || before?.result !== status.result) {
      this.line(plainStatusLine(row.label.padEnd(this.labelWidth), status, transport));
    }
  }

  /** A retry: a JSON event with --json, and always a notice on stderr saying why. */
  retry(info: RetryInfo): void {
    const row = this.rowFor(info.jobId);
    if (this.options.mode === 'json') this.event(retryEvent(info), row);
    const who = row === undefined || this.rows.length === 1 ? '' : `${row.label}: `;
    this.notice(`${who}${retrySentence(info)}`);
  }

  /** One line on stderr, `translation-status wait: …`, with the board lifted off and redrawn around it. */
  notice(text: string): void {
    const { io } = this.options;
    if (this.options.mode === 'tty' && this.drawnLines > 0) {
      io.stdout.write(eraseBoard(this.drawnLines));
      this.drawnLines = 0;
    }
    io.stderr.write(`${this.options.name}: ${text}\n`);
    if (this.options.mode === 'tty' && this.ticker !== undefined) this.draw();
  }

  /** Stops the ticker and draws the final state. Safe to call twice. */
  finish(): void {
    if (this.ticker === undefined) return;
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.draw();
  }

  /** Milliseconds since the command started. */
  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  /** A JSON event about the row (or about no job), with the common fields. */
  event(body: EventBody, row: BoardRow | undefined): void {
    const label = this.options.labelsInJson === true && row !== undefined ? { label: row.label } : {};
    this.options.io.stdout.write(eventLine({ ...label, ...body }, row?.jobId, this.elapsedMs()));
  }

  /** Gives the row called `label` its job id, once the job is created. */
  assign(label: string, jobId: string): void {
    const row = this.rows.find((r) => r.label === label);
    if (row !== undefined) row.jobId = jobId;
  }

  /** The row of a job, for events written by the command. */
  row(jobId: string | undefined): BoardRow | undefined {
    return this.rowFor(jobId);
  }

  private line(text: string): void {
    this.options.io.stdout.write(`+${formatDuration(this.elapsedMs()).padStart(6)}  ${text}\n`);
  }

  private draw(): void {
    const now = this.now();
    const columns = this.options.io.stdout.columns ?? 80;
    const lines = this.rows.map((row) =>
      fitProgressLine(viewOf(row, now - row.seenAt), {
        columns,
        labelWidth: this.labelWidth,
        color: this.options.color,
      }),
    );
    this.options.io.stdout.write(redrawBoard(this.drawnLines, lines));
    this.drawnLines = lines.length;
  }
}

function plainStatusLine(label: string, status: JobStatus, transport: string | undefined): string {
  const eta = status.etaMs === undefined ? '' : `  eta ${formatDuration(status.etaMs)}`;
  const progress = status.progress === undefined ? '' : `  ${Math.floor(status.progress * 100)}%`;
  const failure = status.error === undefined ? '' : `  ${status.error.code}: ${status.error.message}`;
  const via = transport === undefined ? '' : `  (${transport})`;
  return `${label}  ${status.result.padEnd(9)} ${status.stage ?? ''}${progress}${eta}${failure}${via}`;
}

function viewOf(row: Row, sinceMs: number): JobView {
  return {
    label: row.label,
    result: row.status?.result ?? 'pending',
    stage: row.status?.stage ?? 'connecting',
    progress: row.status?.progress,
    etaMs: row.status?.etaMs,
    sinceMs,
    errorCode: row.status?.error?.code,
  };
}
