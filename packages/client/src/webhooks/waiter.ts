/**
 * What a client and a webhook receiver say to each other so that a wait ends by webhook. Types only:
 * the client imports nothing else from this folder, so the receiver stays out of its bundle.
 */
import type { Clock } from '../common/clock.js';
import type { JobStatus } from '../protocol/status.js';

/** One wait on a job whose ending comes by webhook, as the client lends it to the receiver. */
export interface WebhookWait {
  readonly jobId: string;
  readonly clock: Clock;
  /** The newest status the wait knows and when it was read; undefined before the first. */
  known(): { readonly status: JobStatus; readonly at: number } | undefined;
  /** Records a status (from an event); returns the status now known (never an older one). */
  accept(status: JobStatus): JobStatus;
  /** Reads the status once, with the client's retries (the safety net); records it too. */
  read(): Promise<JobStatus>;
}

/** A receiver a client can end its waits with: what `createWebhookReceiver({ url, … })` returns. */
export interface WebhookWaiter {
  /** The receiver's public URL: `createJob` sends it as the job's `callback_url`. */
  readonly url: string | undefined;
  /** Remembers a job created with `url`, with the creation answer (its ETA times the safety net). */
  expect(jobId: string, created: JobStatus, at: number): void;
  /** Whether a wait on `jobId` is ended by this receiver. */
  expects(jobId: string): boolean;
  /** Resolves once the wait has accepted the job's ending; rejects with `signal`'s reason. */
  endWait(wait: WebhookWait, signal: AbortSignal): Promise<void>;
}
