/**
 * Checkpoints: what a wait on one job has learnt, as a string another process can resume from. The
 * format is `tsc1.` then base64url of JSON; the prefix names its version, so a later format can be told
 * apart. Taking one lives here (`checkpoint()` is synchronous); reading one lives in `resume.ts`, loaded
 * only by a wait given `resumeFrom`, so the client's bundle carries little more than this.
 */
import { ConfigurationError } from '../errors/index.js';
import type { Capabilities } from '../protocol/capabilities.js';
import type { ServerKnowledge } from '../watch/context.js';
import type { WatchState } from '../watch/state.js';
/** What resuming needs from the client: its server knowledge, its clock's time, a `timeoutMs` given. */
export interface ResumeContext {
  readonly server: ServerKnowledge;
  readonly now: number;
  readonly timeoutMs: number | undefined;
}

/** A wait resumed: its time left (the checkpoint's deadline unless `timeoutMs` was given), and its start. */
export interface Resumed {
  readonly timeoutMs: number | undefined;
  readonly seed: (state: WatchState) => void;
}

export interface Checkpoint {
  readonly jobId: string;
  /** The client's base URL: a checkpoint resumes only against the server it came from. */
  readonly origin: string;
  /** The wait's deadline, in milliseconds since the epoch; null for none. */
  readonly deadlineAt: number | null;
  /** The last version of the job seen, and the ETA it carried, read at `readAt`. */
  readonly version?: number | undefined;
  readonly etaMs?: number | undefined;
  readonly readAt?: number | undefined;
  readonly capabilities?: Capabilities | undefined;
  /** The event stream's last event id, for `Last-Event-ID`. */
  readonly lastEventId?: string | undefined;
}

export const CHECKPOINT_PREFIX = 'tsc1.';

/** The most jobs a client remembers for `checkpoint()`; the oldest is forgotten first. */
const MAX_REMEMBERED = 1_000;

/** Per job, the state of its latest wait and that wait's deadline, until the job ends. */
export class WaitMemory {
  private readonly waits = new Map<string, { readonly state: WatchState; readonly deadlineAt: number }>();

  constructor(private readonly origin: string) {}

  /**
   * Remembers the wait on `jobId` until its job ends (its state shows the ending) or newer waits push
   * it out: nothing is kept per wait for the ending but the state the wait has anyway.
   */
  record(jobId: string, state: WatchState, deadlineAt: number): void {
    this.waits.delete(jobId);
    this.waits.set(jobId, { state, deadlineAt });
    if (this.waits.size > MAX_REMEMBERED) this.waits.delete(this.waits.keys().next().value ?? '');
  }

  /**
   * Goes on from `text` for a wait on `jobId` (loading the reader on first use, see `resumeWait`); a
   * ConfigurationError on `resumeFrom` when it is not a checkpoint of that job on this client's server.
   */
  async resume(text: unknown, jobId: string | undefined, resume: ResumeContext): Promise<Resumed> {
    const { resumeWait } = await import('./resume.js');
    const resumed = resumeWait(text, jobId, this.origin, CHECKPOINT_PREFIX, resume);
    if (typeof resumed !== 'string') return resumed;
    throw new ConfigurationError({ option: 'resumeFrom', value: text, expected: resumed });
  }

  /** The checkpoint string of the latest wait on `jobId`: running, timed out or aborted. */
  take(jobId: unknown, known: Capabilities | undefined): string {
    const wait = typeof jobId === 'string' ? this.waits.get(jobId) : undefined;
    // A job that ended is not resumed.
    if (wait === undefined || (wait.state.status?.result ?? 'pending') !== 'pending') {
      throw new ConfigurationError({
        option: 'jobId',
        value: jobId,
        expected: 'a job this client waits or waited on, that has not ended',
      });
    }
    const { state, deadlineAt } = wait;
    const checkpoint: Checkpoint = {
      jobId: jobId as string,
      origin: this.origin,
      deadlineAt, // JSON writes none (Infinity) as null
      version: state.status?.version,
      etaMs: state.status?.etaMs,
      readAt: state.statusAt,
      capabilities: state.hints?.capabilities ?? known,
      lastEventId: state.lastEventId,
    };
    let binary = '';
    for (const byte of new TextEncoder().encode(JSON.stringify(checkpoint)))
      binary += String.fromCharCode(byte);
    return CHECKPOINT_PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
}
