/**
 * When a channel's silence becomes suspect. Pure. A held request or an event stream that stays silent
 * is trusted only until the job should have ended (its ETA plus a grace), or for a stream, until a
 * heartbeat is overdue; past that the watch asks again rather than wait for a timeout near the deadline.
 */
import { DEFAULT_HEARTBEAT_MS } from '../protocol/capabilities.js';
import type { JobStatus } from '../protocol/status.js';

/** The server's estimate is off by about ±15%: a grace of a fifth of it, and at least 1 s. */
export const ETA_GRACE_MIN_MS = 1_000;
export const ETA_GRACE_SHARE = 0.2;

export function etaGraceMs(etaMs: number): number {
  return Math.max(ETA_GRACE_MIN_MS, etaMs * ETA_GRACE_SHARE);
}

/**
 * The moment a pending job read at `statusAt` should have ended, grace included; undefined without an
 * estimate (nothing to suspect) or once the job is terminal.
 */
export function suspectAt(status: JobStatus | undefined, statusAt: number | undefined): number | undefined {
  if (status?.result !== 'pending' || status.etaMs === undefined || statusAt === undefined) return undefined;
  return statusAt + status.etaMs + etaGraceMs(status.etaMs);
}

/** A stream is trusted for one heartbeat interval plus this share of it (at least 2 s) of silence. */
export const HEARTBEAT_MARGIN_SHARE = 0.2;
export const HEARTBEAT_MARGIN_MIN_MS = 2_000;

/** How long an open stream may stay silent (no event, no heartbeat) before it is reconnected. */
export function streamSilenceMs(announcedHeartbeatMs: number | undefined): number {
  const heartbeat = announcedHeartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  return heartbeat + Math.max(HEARTBEAT_MARGIN_MIN_MS, heartbeat * HEARTBEAT_MARGIN_SHARE);
}
