/**
 * `--max-concurrent-jobs` for the HeyGen routes: how many of a client's jobs are still pending, and the
 * 429 with Retry-After a create gets beyond the limit, as HeyGen answers over an account's concurrency
 * limit. Counted in this process (instances sharing a store each count their own creates).
 */
import type { Clock } from '../domain/clock.js';
import type { JobStore } from '../domain/store.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import type { JobResource } from '../protocol/job-resource.js';

export class ConcurrentJobs {
  /** Per client: each pending job's id and when it is expected to end (ms). */
  readonly #active = new Map<string, Map<string, number>>();

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    /** 0: no limit. */
    private readonly limit: number,
  ) {}

  /** Throws a 429 when `count` more jobs would take `clientId` past the limit. */
  admit(clientId: string, count: number): void {
    if (this.limit === 0) return;
    const active = this.#active.get(clientId);
    const running = active?.size ?? 0;
    if (running + count <= this.limit) return;
    const now = this.clock.now();
    const soonest = Math.min(...(active?.values() ?? []), now + 1000);
    const seconds = Math.max(1, Math.ceil((soonest - now) / 1000));
    throw new ApiError(
      ErrorCode.RateLimited,
      `${running} jobs of this client are in progress and ${count} more would pass the limit of ${this.limit} concurrent jobs`,
      { 'retry-after': String(seconds) },
    );
  }

  /** Counts `job` against `clientId` until it ends. */
  track(clientId: string, job: JobResource): void {
    if (this.limit === 0 || job.result !== 'pending') return;
    let active = this.#active.get(clientId);
    if (active === undefined) this.#active.set(clientId, (active = new Map<string, number>()));
    active.set(job.id, this.clock.now() + (job.eta_ms ?? 0));
    const unsubscribe = this.store.subscribe(job.id, (changed) => {
      if (changed.result === 'pending') return;
      unsubscribe();
      active.delete(job.id);
      if (active.size === 0) this.#active.delete(clientId);
    });
  }
}
