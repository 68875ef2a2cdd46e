/**
 * Reading a checkpoint (see `checkpoint.ts`) and starting a watch from it. Loaded only by a wait given
 * `resumeFrom`, and importing nothing at run time, so the bundler need not split what the client's
 * bundle shares with it into chunks of their own.
 */
import type { WatchState } from '../watch/state.js';
import type { Checkpoint, Resumed, ResumeContext } from './checkpoint.js';

const num = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));

/** Each field's check: a checkpoint with any field of the wrong type is refused as a whole. */
const FIELDS: Readonly<Record<keyof Checkpoint, (v: unknown) => boolean>> = {
  jobId: (v) => typeof v === 'string',
  origin: (v) => typeof v === 'string',
  deadlineAt: (v) => v === null || (v !== undefined && num(v)),
  version: num,
  etaMs: num,
  readAt: num,
  capabilities: (v) =>
    v === undefined ||
    (typeof v === 'object' &&
      v !== null &&
      ['longPoll', 'events', 'batch'].every((k) => typeof (v as Record<string, unknown>)[k] === 'boolean')),
  lastEventId: (v) => v === undefined || typeof v === 'string',
};

function parse(text: string, prefix: string): Checkpoint | undefined {
  if (!text.startsWith(prefix)) return undefined;
  try {
    const binary = atob(text.slice(prefix.length).replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const fields = value as Record<string, unknown>;
    return Object.entries(FIELDS).every(([key, valid]) => valid(fields[key]))
      ? (value as Checkpoint)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The checkpoint in `text` (of the format `prefix` names), checked to belong to `jobId` on `origin`;
 * else what `resumeFrom` should have been, for the ConfigurationError.
 */
export function readCheckpoint(
  text: unknown,
  jobId: string | undefined,
  origin: string,
  prefix: string,
): Checkpoint | string {
  if (typeof text !== 'string') return 'a string from client.checkpoint(jobId)';
  if (jobId === undefined) return 'a job id beside it: waitForCompletion(jobId, { resumeFrom })';
  const checkpoint = parse(text.trim(), prefix);
  if (checkpoint === undefined) {
    return 'a checkpoint string from client.checkpoint(jobId) (this one is malformed or truncated)';
  }
  if (checkpoint.jobId !== jobId) {
    return `a checkpoint of job '${jobId}'; this one is of job '${checkpoint.jobId}'`;
  }
  if (checkpoint.origin !== origin) {
    return `a checkpoint taken against ${origin}; this one was taken against ${checkpoint.origin}`;
  }
  return checkpoint;
}

/**
 * Starts a watch where the checkpoint left off: a pending status at the last version (never reported
 * to a wait, see `WatchState.seeded`), its ETA counted down to `now`, and the stream's last event id,
 * so the first request is held with `If-None-Match` or streamed with `Last-Event-ID`. A watch that has
 * read the job already (another wait on it is running) keeps what it read.
 */
export function seedWatch(state: WatchState, checkpoint: Checkpoint, now: number): void {
  if (checkpoint.version === undefined || state.status !== undefined) return;
  const spent = checkpoint.readAt === undefined ? 0 : Math.max(0, now - checkpoint.readAt);
  state.status = {
    jobId: checkpoint.jobId,
    result: 'pending',
    stage: undefined,
    progress: undefined,
    etaMs: checkpoint.etaMs === undefined ? undefined : Math.max(0, checkpoint.etaMs - spent),
    version: checkpoint.version,
    error: undefined,
    body: {},
  };
  state.statusAt = now;
  state.seeded = true;
  state.lastEventId = checkpoint.lastEventId ?? String(checkpoint.version);
}

/**
 * Goes on from the checkpoint in `text`: the client learns its server from it (nothing to discover
 * again), the wait keeps its deadline unless `timeoutMs` was given, and its watch starts from it (see
 * `seedWatch`). Else what `resumeFrom` should have been (see `readCheckpoint`).
 */
export function resumeWait(
  text: unknown,
  jobId: string | undefined,
  origin: string,
  prefix: string,
  { server, now, timeoutMs }: ResumeContext,
): Resumed | string {
  const checkpoint = readCheckpoint(text, jobId, origin, prefix);
  if (typeof checkpoint === 'string') return checkpoint;
  server.capabilities ??= checkpoint.capabilities;
  const { deadlineAt } = checkpoint;
  return {
    timeoutMs: timeoutMs ?? (deadlineAt === null ? Infinity : Math.max(1, deadlineAt - now)),
    seed: (state) => {
      seedWatch(state, checkpoint, now);
    },
  };
}
