/**
 * The ways of waiting compared end to end: a naive once-per-second poller written here, and the client
 * library in each transport and through `waitForAll`. Each waits on every job at once and reports, per
 * job, when it learned the outcome and the server's own completion time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TranslationClient } from '@translation-status/client';
import type { TransportMode } from '@translation-status/client';

export interface JobSample {
  readonly jobId: string;
  /** `completed_at` of the terminal answer, in ms since the epoch (server clock). */
  readonly completedAtMs: number | undefined;
  /** When the waiter learned the outcome, in ms since the epoch (this process's clock). */
  readonly learnedAtMs: number | undefined;
  /** Requests the wait reports having made (the client's stats; the poller's own count). */
  readonly reportedRequests: number | undefined;
  readonly failure: string | undefined;
}

/** A fetch that counts its calls: the client-side request count, whatever the waiter reports. */
export function countingFetch(): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
    calls: () => calls,
  };
}

export interface WaitContext {
  readonly baseUrl: string;
  readonly ids: readonly string[];
  readonly fetch: typeof fetch;
  /** Limit for each wait. */
  readonly timeoutMs: number;
}

export interface Waiter {
  readonly name: string;
  /** What the phase's server needs besides the defaults (webhook secrets). */
  readonly serverOptions?: object;
  /** Makes the phase's jobs itself, one per duration (else they are made by plain `POST /jobs`). */
  readonly createJobs?: (baseUrl: string, durationsMs: readonly number[]) => Promise<string[]>;
  run(ctx: WaitContext): Promise<JobSample[]>;
}

export function completedAt(body: unknown): number | undefined {
  const raw = (body as { completed_at?: unknown } | null)?.completed_at;
  return typeof raw === 'string' ? Date.parse(raw) : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The sample of a wait that has just ended with the job's status `body`. */
export const learned = (jobId: string, body: unknown, reportedRequests: number): JobSample => ({
  jobId,
  completedAtMs: completedAt(body),
  learnedAtMs: Date.now(),
  reportedRequests,
  failure: undefined,
});

export const failed = (jobId: string, error: unknown): JobSample => ({
  jobId,
  completedAtMs: undefined,
  learnedAtMs: undefined,
  reportedRequests: undefined,
  failure: describe(error),
});

/** GET /status?job_id= once a second until the result is not pending: what most integrations do. */
export const naivePoller: Waiter = {
  name: 'naive poll every 1 s',
  run: ({ baseUrl, ids, fetch, timeoutMs }) =>
    Promise.all(
      ids.map(async (jobId): Promise<JobSample> => {
        const deadline = Date.now() + timeoutMs;
        let requests = 0;
        try {
          for (;;) {
            requests++;
            const response = await fetch(new URL(`/status?job_id=${encodeURIComponent(jobId)}`, baseUrl));
            const body = (await response.json()) as { result?: unknown };
            if (response.ok && body.result !== 'pending') {
              return {
                jobId,
                completedAtMs: completedAt(body),
                learnedAtMs: Date.now(),
                reportedRequests: requests,
                failure: body.result === 'completed' ? undefined : `result ${String(body.result)}`,
              };
            }
            if (Date.now() > deadline) throw new Error('timed out');
            await sleep(1000);
          }
        } catch (error) {
          return failed(jobId, error);
        }
      }),
    ),
};

/**
 * The client's `waitForCompletion` on every job at once, with one transport forced (or `auto`), against
 * the default server (which offers `GET /events?ids=`, so separate waits may share streams) or one started
 * with `serverOptions`, named by `suffix`.
 */
export function clientWaiter(transport: TransportMode, serverOptions?: object, suffix = ''): Waiter {
  return {
    name: `ours, ${transport}${suffix}`,
    ...(serverOptions === undefined ? {} : { serverOptions }),
    run: async ({ baseUrl, ids, fetch, timeoutMs }) => {
      const client = new TranslationClient({ baseUrl, transport, fetch, logLevel: 'silent' });
      return Promise.all(
        ids.map(async (jobId): Promise<JobSample> => {
          try {
            const { status, stats } = await client.waitForCompletion(jobId, { timeoutMs });
            return learned(jobId, status.body, stats.requests);
          } catch (error) {
            return failed(jobId, error);
          }
        }),
      );
    },
  };
}

/**
 * The client's `waitForAll` over every job: shared streams on a server that multiplexes, else batched
 * requests of up to 100 ids. The moment each job is learned comes from `onSettled`, since the call itself
 * resolves only when all have settled (and with no `onStatus`, held batches wake only when a job ends);
 * requests are shared by the jobs of a stream or batch, so only the counting fetch can say how many were
 * made.
 */
export const batchWaiter: Waiter = {
  name: 'ours, waitForAll',
  run: async ({ baseUrl, ids, fetch, timeoutMs }) => {
    const client = new TranslationClient({ baseUrl, fetch, logLevel: 'silent' });
    const learned = new Map<string, number>();
    const settled = await client.waitForAll(ids, {
      timeoutMs,
      onSettled: (result) => {
        learned.set(result.jobId, Date.now());
      },
    });
    return settled.map((wait): JobSample => {
      if (!wait.ok) return failed(wait.jobId, wait.error);
      return {
        jobId: wait.jobId,
        completedAtMs: completedAt(wait.status.body),
        learnedAtMs: learned.get(wait.jobId),
        reportedRequests: undefined,
        failure: undefined,
      };
    });
  },
};

/** Every phase of `bench:e2e`, in order. */
export const ALL_WAITERS: readonly Waiter[] = [
  naivePoller,
  clientWaiter('poll'),
  clientWaiter('long-poll'),
  clientWaiter('sse'),
  clientWaiter('auto'),
  clientWaiter('auto', { multiEvents: false }, ', server without GET /events?ids='),
  batchWaiter,
];
