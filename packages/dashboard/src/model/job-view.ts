/**
 * What one row of the jobs table says about a job, from what the page knows of it. Pure: the DOM layer
 * only copies these strings into cells.
 */
import type { JobStatus } from '@translation-status/client';

/** What the page knows of one job. */
export interface JobRecord {
  readonly id: string;
  /** The newest status seen. */
  readonly status: JobStatus;
  /** When (page clock, ms) that status arrived: the ETA counts down from there. */
  readonly seenAtMs: number;
  /** Why the page stopped following the job before it ended (the wait failed), if it did. */
  readonly lost?: string | undefined;
}

/** The result column, as text (never colour alone). */
export type Badge = 'pending' | 'completed' | 'failed' | 'canceled' | 'lost';

export interface JobView {
  readonly id: string;
  /** `en → es` */
  readonly languages: string;
  /** `1:30` */
  readonly video: string;
  /** 0 to 100, whole. */
  readonly percent: number;
  /** The stage in words: `voice synthesis`. */
  readonly stage: string;
  /** `about 12 s`, or `—` when there is nothing to estimate. */
  readonly eta: string;
  readonly badge: Badge;
  /** The badge with its reason: `failed: lip_sync_failed`. */
  readonly resultText: string;
  /** The job's error message, or why the page lost track of it. */
  readonly detail: string | undefined;
  /** ISO timestamps, for `<time datetime>`; undefined while unknown. */
  readonly createdAt: string | undefined;
  readonly endedAt: string | undefined;
}

function text(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `90` → `1:30`, `3725` → `1:02:05`. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours > 0 ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${minutes}:${two(s % 60)}`;
}

/** A remaining time in rough words: the server's estimate is ±15%, so seconds only when they matter. */
export function formatEta(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 1) return 'any moment';
  if (s < 90) return `about ${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 90) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function badgeOf(record: JobRecord): Badge {
  const { status } = record;
  if (status.result === 'completed') return 'completed';
  if (status.result === 'error') return status.error?.code === 'canceled' ? 'canceled' : 'failed';
  return record.lost === undefined ? 'pending' : 'lost';
}

export function describeJob(record: JobRecord, nowMs: number): JobView {
  const { status } = record;
  const body = status.body;
  const seconds = body['video_duration_seconds'];
  const badge = badgeOf(record);
  const pendingEta =
    badge === 'pending' && status.etaMs !== undefined
      ? formatEta(status.etaMs - (nowMs - record.seenAtMs))
      : '—';
  const progress = status.result === 'completed' ? 1 : (status.progress ?? 0);
  return {
    id: record.id,
    languages: `${text(body, 'source_language') ?? '?'} → ${text(body, 'target_language') ?? '?'}`,
    video: typeof seconds === 'number' ? formatClock(seconds) : '—',
    percent: Math.round(progress * 100),
    stage: (status.stage ?? status.result).replaceAll('_', ' '),
    eta: pendingEta,
    badge,
    resultText: badge === 'failed' ? `failed: ${status.error?.code ?? 'unknown_error'}` : badge,
    detail: badge === 'lost' ? record.lost : status.error?.message,
    createdAt: text(body, 'created_at'),
    endedAt: status.result === 'pending' ? undefined : text(body, 'completed_at'),
  };
}

/** Newest first by creation time; ids break ties so the order is stable. */
export function newestFirst(a: JobRecord, b: JobRecord): number {
  const at = text(a.status.body, 'created_at') ?? '';
  const bt = text(b.status.body, 'created_at') ?? '';
  if (at !== bt) return at < bt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
