/**
 * What one watch has learnt, as one plain record: the steps of every transport read and update it,
 * and a checkpoint is a copy of it. No behaviour lives here besides recording a status.
 */
import type { RequestCounters } from '../http/retrying-request.js';
import type { ActiveTransportName } from '../options/types.js';
import type { ServerHints } from '../protocol/hints.js';
import type { JobStatus } from '../protocol/status.js';
import { isVisibleChange } from './visible-change.js';

/** A transport that can turn out to be missing or broken, so the watch falls back from it. */
export type FallibleTransport = 'multi' | 'batch' | 'sse' | 'long-poll';

export interface WatchState {
  /** The id asked for; undefined for the server's default job (`GET /status`). */
  readonly jobId: string | undefined;
  readonly url: string;
  readonly startedAt: number;
  readonly counters: RequestCounters;
  transport: ActiveTransportName;
  status: JobStatus | undefined;
  /** When `status` was read, so its ETA can be counted down. */
  statusAt: number | undefined;
  hints: ServerHints | undefined;
  /** Transports given up, each until when (Infinity: for good; see `fallBack`); made on the first. */
  unavailable: Map<FallibleTransport, number> | undefined;
  /** Sent as `Last-Event-ID` when a stream reconnects. */
  lastEventId: string | undefined;
  /** The delay slept before the last poll, while past the ETA (see `isPastEta`). */
  previousDelayMs: number | undefined;
  /** The deadline whose squeezed last poll has been made. */
  squeezedFor: number | undefined;
  /** When the sleep in progress (or just cut short by a re-plan) was to end; cleared by each read. */
  plannedAt: number | undefined;
  /** Connection attempts in a row that broke, and whether the stream ever delivered an event. */
  streamFailures: number;
  streamDelivered: boolean;
  /** `status` was seeded from a checkpoint, not read: never reported to a wait as the job's state. */
  seeded: boolean;
}

export function createWatchState(jobId: string | undefined, url: string, now: number): WatchState {
  return {
    jobId,
    url,
    startedAt: now,
    counters: { requests: 0, retries: 0 },
    transport: 'poll',
    status: undefined,
    statusAt: undefined,
    hints: undefined,
    unavailable: undefined,
    lastEventId: undefined,
    previousDelayMs: undefined,
    squeezedFor: undefined,
    plannedAt: undefined,
    streamFailures: 0,
    streamDelivered: false,
    seeded: false,
  };
}

/**
 * The transports still given up at `now`, each with until when: one given up for a while (after
 * transient failures) is tried again once that while is over, a stream with a fresh count of failures.
 */
export function unavailableAt(state: WatchState, now: number): ReadonlyMap<FallibleTransport, number> {
  const unavailable = state.unavailable ?? NONE;
  for (const [transport, until] of unavailable) {
    if (until > now) continue;
    unavailable.delete(transport);
    if (transport === 'sse') state.streamFailures = 0;
  }
  return unavailable;
}

const NONE: Map<FallibleTransport, number> = new Map();

/** The job's id: the one asked for, else the one the server named. */
export function jobIdOf(state: Pick<WatchState, 'jobId' | 'status'>): string | undefined {
  return state.jobId ?? state.status?.jobId;
}

/**
 * Records a status read at `now`; returns the status now known, and whether a caller would see a
 * change. An answer older than what is known (replayed, reordered) must not move the job backwards.
 */
export function recordStatus(
  state: WatchState,
  status: JobStatus,
  now: number,
): { readonly status: JobStatus; readonly changed: boolean } {
  const before = state.status;
  if (before?.version !== undefined && status.version !== undefined && status.version < before.version) {
    return { status: before, changed: false };
  }
  state.status = status;
  state.statusAt = now;
  state.seeded = false;
  if (status.version !== undefined) state.lastEventId = String(status.version);
  return { status, changed: isVisibleChange(before, status) };
}
