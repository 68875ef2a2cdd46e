/**
 * The newest verified event of each job, so a wait that subscribes after its job's webhook arrived
 * still hears of it. Newest by the job's `version`, since deliveries may arrive out of order; bounded,
 * forgetting the job heard of least recently first. Pure (no timers).
 */
import { BoundedMap } from './bounded-map.js';
import type { WebhookEvent } from './verify.js';

export class LatestEvents {
  private readonly byJob: BoundedMap<string, WebhookEvent>;

  constructor(capacity: number) {
    this.byJob = new BoundedMap(capacity);
  }

  /** Keeps `event` unless a newer one of its job is already kept. */
  record(jobId: string, event: WebhookEvent): void {
    const known = this.byJob.get(jobId)?.job.version;
    if (known !== undefined && event.job.version !== undefined && event.job.version < known) return;
    this.byJob.set(jobId, event);
  }

  get(jobId: string): WebhookEvent | undefined {
    return this.byJob.get(jobId);
  }
}
