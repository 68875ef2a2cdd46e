/**
 * The page's state and what changes it: the jobs it knows, the ones it follows, its request tally,
 * and the status line. Rendering goes through the ui/ classes; waiting through the client library.
 */
import type { JobStatus, RetryInfo, TranslationClient } from '@translation-status/client';
import { HttpError } from '@translation-status/client';
import { JobFollower } from './io/job-follower.js';
import type { ServerApi } from './io/server-api.js';
import { toCreateJobInput, type FormValues } from './model/create-input.js';
import { describeJob, newestFirst, type JobRecord } from './model/job-view.js';
import { readServer, requestRates, parsePrometheus, type ServerReading } from './model/metrics.js';
import { naivePollerRequests, type Follow } from './model/poller-estimate.js';
import type { SubmitProblem } from './ui/create-form.js';
import type { JobsTable } from './ui/jobs-table.js';
import type { ServerPanel } from './ui/server-panel.js';

export interface DashboardParts {
  readonly client: TranslationClient;
  readonly api: ServerApi;
  readonly table: JobsTable;
  readonly panel: ServerPanel;
  /** The role=status line at the top. */
  readonly connection: HTMLElement;
  /** The polite aria-live region for job outcomes. */
  readonly announcer: HTMLElement;
  /** Requests made through the client library so far. */
  readonly clientRequests: () => number;
  /** Requests the page made itself so far. */
  readonly pageRequests: () => number;
}

const announcement = (record: JobRecord): string | undefined => {
  const { result, error } = record.status;
  if (result === 'completed') return `${record.id} completed`;
  if (result === 'error') {
    return error?.code === 'canceled' ? `${record.id} canceled` : `${record.id} failed: ${error?.code ?? ''}`;
  }
  return record.lost === undefined ? undefined : `${record.id}: lost track (${record.lost})`;
};

export class Dashboard {
  readonly #parts: DashboardParts;
  readonly #jobs = new Map<string, JobRecord>();
  readonly #follows = new Map<string, Follow>();
  readonly #follower: JobFollower;
  #lastReading: { reading: ServerReading; atMs: number } | undefined;

  constructor(parts: DashboardParts) {
    this.#parts = parts;
    this.#follower = new JobFollower(parts.client, {
      onStatus: (status) => {
        this.#see(status);
      },
      onLost: (jobId, reason) => {
        this.#lose(jobId, reason);
      },
      onRetry: (info) => {
        this.#trouble(info);
      },
    });
  }

  /** Shows the server's newest jobs and follows the pending ones. */
  async load(limit: number): Promise<void> {
    const jobs = await this.#parts.api.listJobs(limit);
    for (const status of jobs) this.#see(status, { created: false });
    this.#setConnection('live', 'Live');
    this.render();
  }

  /** The create form's submit: a problem to show, or undefined once the job exists and is followed. */
  readonly submit = async (values: FormValues): Promise<SubmitProblem | undefined> => {
    try {
      const job = await this.#parts.client.createJob(toCreateJobInput(values));
      this.#see(job.status, { created: true });
      this.#announce(`Created ${job.id}`);
      this.render();
      return undefined;
    } catch (error) {
      if (error instanceof HttpError && error.serverMessage !== undefined) {
        return { message: error.serverMessage, aboutFields: error.status === 400 };
      }
      return { message: error instanceof Error ? error.message : String(error), aboutFields: false };
    }
  };

  /**
   * A row's cancel button: `DELETE /jobs/:id` through the client library. The canceled status shows at
   * once (the job's wait then ends as canceled, too); if the job ended first (409) or the request failed,
   * the status line says so and the button comes back while the job is pending.
   */
  readonly cancel = async (jobId: string): Promise<void> => {
    try {
      this.#see(await this.#parts.client.cancelJob(jobId));
    } catch (error) {
      const finished = error instanceof HttpError && error.serverCode === 'job_finished';
      this.#announce(
        finished
          ? `${jobId} had already ended`
          : `Could not cancel ${jobId}: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.#parts.table.allowCancel(jobId);
    }
  };

  /** Re-renders the table (ETAs count down between events) and the request tally. */
  render(): void {
    const now = Date.now();
    const records = [...this.#jobs.values()].sort(newestFirst);
    this.#parts.table.render(records.map((record) => describeJob(record, now)));
    this.#parts.panel.showTally({
      clientRequests: this.#parts.clientRequests(),
      pageRequests: this.#parts.pageRequests(),
      jobsFollowed: this.#follows.size,
      naive: naivePollerRequests(this.#follows.values(), now),
    });
  }

  /** Reads `/metrics` into the panel; a failure shows in the status line and is not thrown. */
  async refreshMetrics(): Promise<void> {
    try {
      const reading = readServer(parsePrometheus(await this.#parts.api.readMetrics()));
      const now = Date.now();
      const before = this.#lastReading;
      this.#parts.panel.showReading(
        reading,
        before === undefined ? undefined : requestRates(before.reading, reading, now - before.atMs),
      );
      this.#lastReading = { reading, atMs: now };
      this.#setConnection('live', 'Live');
    } catch (error) {
      this.#setConnection(
        'trouble',
        `Server unreachable (${error instanceof Error ? error.message : String(error)}); retrying`,
      );
    }
    this.render();
  }

  close(): void {
    this.#follower.close();
  }

  #see(status: JobStatus, origin?: { created: boolean }): void {
    const id = status.jobId;
    if (id === undefined) return;
    const before = this.#jobs.get(id);
    // Events may arrive out of order across a re-plan: never step back to an older version.
    if ((before?.status.version ?? -1) > (status.version ?? Infinity)) return;
    const record: JobRecord = { id, status, seenAtMs: Date.now() };
    this.#jobs.set(id, record);
    const now = Date.now();
    if (origin !== undefined && status.result === 'pending' && !this.#follows.has(id)) {
      this.#follows.set(id, { fromMs: now, untilMs: undefined, created: origin.created });
      this.#follower.follow(id);
    }
    if (status.result !== 'pending') {
      const follow = this.#follows.get(id);
      if (follow !== undefined && follow.untilMs === undefined)
        this.#follows.set(id, { ...follow, untilMs: now });
      if (before?.status.result === 'pending') this.#announce(announcement(record));
    }
    if (before !== undefined) this.#setConnection('live', 'Live');
    this.render();
  }

  #lose(jobId: string, reason: string): void {
    const before = this.#jobs.get(jobId);
    if (before === undefined) return;
    const record = { ...before, lost: reason };
    this.#jobs.set(jobId, record);
    const follow = this.#follows.get(jobId);
    if (follow !== undefined) this.#follows.set(jobId, { ...follow, untilMs: Date.now() });
    this.#announce(announcement(record));
    this.render();
  }

  #trouble(info: RetryInfo): void {
    const seconds = Math.max(1, Math.round(info.delayMs / 1000));
    this.#setConnection('trouble', `Connection trouble (${info.error.code}); retrying in ${seconds} s`);
  }

  #setConnection(state: 'live' | 'trouble', text: string): void {
    const line = this.#parts.connection;
    if (line.dataset['state'] === state && line.textContent === text) return;
    line.dataset['state'] = state;
    line.textContent = text;
  }

  #announce(text: string | undefined): void {
    if (text !== undefined) this.#parts.announcer.textContent = text;
  }
}
