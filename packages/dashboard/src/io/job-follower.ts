/**
 * Follows every pending job the page shows, through the client library: one wait per streamed job and
 * one `waitForAll` for the rest (see follow-plan.ts), re-planned whenever a job joins or ends.
 */
import type { JobStatus, RetryInfo, SettledWait, TranslationClient } from '@translation-status/client';
import { JobFailedError } from '@translation-status/client';
import { planFollows, sameIds } from '../model/follow-plan.js';

export interface FollowEvents {
  /** Every status seen, the terminal one included. */
  onStatus(status: JobStatus): void;
  /** The wait ended without the job ending (not found after a restart, timed out...). */
  onLost(jobId: string, reason: string): void;
  /** A request failed and is about to be retried: the server may be restarting. */
  onRetry(info: RetryInfo): void;
}

interface Batch {
  readonly ids: readonly string[];
  readonly controller: AbortController;
}

export class JobFollower {
  readonly #client: TranslationClient;
  readonly #events: FollowEvents;
  /** In the order the page began following them. */
  #pending: string[] = [];
  readonly #streams = new Map<string, AbortController>();
  #batch: Batch | undefined;

  constructor(client: TranslationClient, events: FollowEvents) {
    this.#client = client;
    this.#events = events;
  }

  follow(jobId: string): void {
    if (this.#pending.includes(jobId)) return;
    this.#pending.push(jobId);
    this.#replan();
  }

  /** Stops every wait (their requests close at once). */
  close(): void {
    this.#pending = [];
    for (const controller of this.#streams.values()) controller.abort();
    this.#streams.clear();
    this.#batch?.controller.abort();
    this.#batch = undefined;
  }

  #replan(): void {
    const plan = planFollows(this.#pending, new Set(this.#streams.keys()));
    for (const id of plan.streams) if (!this.#streams.has(id)) this.#stream(id);
    if (this.#batch !== undefined && sameIds(this.#batch.ids, plan.batch)) return;
    this.#batch?.controller.abort();
    this.#batch = plan.batch.length === 0 ? undefined : this.#startBatch(plan.batch);
  }

  #stream(jobId: string): void {
    const controller = new AbortController();
    this.#streams.set(jobId, controller);
    const { signal } = controller;
    this.#client
      .waitForCompletion(jobId, {
        signal,
        onStatus: (status) => {
          this.#events.onStatus(status);
        },
        onRetry: (info) => {
          this.#events.onRetry(info);
        },
      })
      .then(
        ({ status }) => {
          this.#settle(jobId, { ok: true, status }, signal);
        },
        (error: unknown) => {
          this.#settle(jobId, { ok: false, error }, signal);
        },
      );
  }

  #startBatch(ids: readonly string[]): Batch {
    const controller = new AbortController();
    const { signal } = controller;
    // Long-poll, so that even a short batch shares one held request instead of opening streams.
    void this.#client.waitForAll(ids, {
      signal,
      transport: 'long-poll',
      onStatus: (status) => {
        this.#events.onStatus(status);
      },
      onRetry: (info) => {
        this.#events.onRetry(info);
      },
      onSettled: (settled: SettledWait) => {
        this.#settle(settled.jobId, settled.ok ? settled : { ok: false, error: settled.error }, signal);
      },
    });
    return { ids, controller };
  }

  #settle(
    jobId: string,
    outcome: { ok: true; status: JobStatus } | { ok: false; error: unknown },
    signal: AbortSignal,
  ): void {
    // A wait this page stopped (to re-plan, or on close) says nothing about the job.
    if (signal.aborted) return;
    if (outcome.ok) this.#events.onStatus(outcome.status);
    else if (outcome.error instanceof JobFailedError) this.#events.onStatus(outcome.error.status);
    else this.#events.onLost(jobId, outcome.error instanceof Error ? outcome.error.message : 'unknown');
    this.#pending = this.#pending.filter((id) => id !== jobId);
    this.#streams.delete(jobId);
    this.#replan();
  }
}
