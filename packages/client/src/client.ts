/**
 * The public face of the library: one client per server, with its options resolved and validated once,
 * and every wait routed through a shared watcher per job.
 */
import { ConfigurationError, WaitTimeoutError } from './errors/index.js';
import { linkSignals } from './common/signals.js';
import { readCapabilities } from './protocol/capabilities.js';
import { translationStatusProtocol, type InputOf, type ProtocolChoice } from './protocol/adapter.js';
import { newIdempotencyKey, type CreateJobInput } from './protocol/create-job.js';
import { protocolError, statusOrThrow } from './protocol/problem.js';
import type { WatchDeps, WatchSettings } from './watch/context.js';
import { resolveCreateJob, resolveJobCall, resolveWaitForAll } from './options/arguments.js';
import { COMPLETION_KEYS, GET_STATUS_KEYS, WATCH_KEYS } from './options/known-keys.js';
import { resolveClientOptions } from './options/resolve.js';
import { WaitMemory, type Resumed } from './checkpoint/checkpoint.js';
import type {
  ClientOptions,
  CompletionOptions,
  CreateJobOptions,
  GetStatusOptions,
  ResolvedClientOptions,
  ResolvedWaitOptions,
  WatchOptions,
} from './options/types.js';
import { readJson } from './http/retrying-request.js';
import type { JobStatus } from './protocol/status.js';
import { SharedWatch, type CompletedWait } from './watch/shared-watch.js';
import { watchStatuses } from './watch/status-iterator.js';
import { Deadlines, type Deadline } from './watch/deadlines.js';
import { Channels } from './watch/channels.js';
import { waitForAll, type SettledWait, type WaitForAllOptions } from './watch/wait-for-all.js';

export type { SettledWait, WaitForAllOptions } from './watch/wait-for-all.js';

/** A job the server accepted. */
export interface CreatedJob {
  /** The first (usually only) job's id. */
  readonly id: string;
  /** Every job the request made: HeyGen v3 makes one per output language. */
  readonly ids: readonly [string, ...string[]];
  /** The first job's URL (this library's protocol: from the `Location` header). */
  readonly url: string;
  /** The first job's status (pending, when the server's answer holds only ids). */
  readonly status: JobStatus;
}

/**
 * A client of one server. `P`, the `protocol` option, decides what `createJob` takes: this library's
 * `CreateJobInput` by default, HeyGen's own body with a HeyGen adapter.
 */
export class TranslationClient<P extends ProtocolChoice = 'translation-status'> {
  readonly options: ResolvedClientOptions;
  readonly #deps: WatchDeps;
  /** The watches waits may share (on the client's defaults), by job id: single, then batched. */
  readonly #watches = [new Map<string, SharedWatch>(), new Map<string, SharedWatch>()];
  readonly #memory: WaitMemory;

  constructor(options: ClientOptions<P>) {
    this.options = resolveClientOptions(options);
    const o = this.options;
    this.#deps = {
      baseUrl: o.baseUrl,
      protocol: o.protocol,
      fetch: o.fetch,
      clock: o.clock,
      random: o.random,
      logger: o.logger,
      budget: o.retry.budget,
      headers: o.requestHeaders,
      server: { capabilities: undefined },
      webhooks: o.webhooks,
      contact: { lastAnswerAt: -Infinity },
      deadlines: new Deadlines(o.clock),
      // A server without this library's extensions (HeyGen's) has no batch endpoint.
      channels: new Channels(o.batch.enabled && o.protocol.extensions ? o.batch.maxIds : 0),
    };
    this.#memory = new WaitMemory(o.baseUrl);
  }

  /**
   * Submits a video for translation. The request carries a fresh `Idempotency-Key`, and transient
   * failures (a lost answer included) are retried with the same key: the server answers a retry with the
   * job the first attempt made, so a retried create never makes a second job. With the `webhooks`
   * option, a job of this library's protocol is called back at the receiver's `url` (unless the input
   * names another `callbackUrl`), and waits on it end by webhook.
   */
  async createJob(input: InputOf<P>, options: CreateJobOptions = {}): Promise<CreatedJob> {
    const protocol = this.#deps.protocol;
    const { wait } = resolveCreateJob(this.options, input, options, protocol.checkInput);
    if (protocol.createRequest === undefined || protocol.readCreated === undefined) {
      throw new ConfigurationError({
        option: 'protocol',
        value: protocol.name,
        expected: 'a protocol that creates jobs',
      });
    }
    const webhooks = protocol === translationStatusProtocol ? this.options.webhooks : undefined;
    const own = input as CreateJobInput;
    const callback = webhooks !== undefined && (own.callbackUrl ?? webhooks.url) === webhooks.url;
    const request = protocol.createRequest(
      this.options.baseUrl,
      callback ? { ...own, callbackUrl: webhooks.url } : input,
    );
    const answer = await this.#once(undefined, wait, {
      url: request.url,
      method: 'POST',
      body: request.body,
      headers: {
        'content-type': 'application/json',
        ...(request.idempotent ? { 'idempotency-key': newIdempotencyKey() } : {}),
      },
      // An answer that arrived but is not the protocol will not become one: only lost answers are
      // retried, and without an idempotency key only a refusal made before any work (429).
      retryIf: request.idempotent
        ? (failure) => failure.kind !== 'malformed'
        : (failure) => failure.kind === 'http' && failure.status === 429,
    });
    const created = protocol.readCreated(answer.json, answer.headers.get('location'), this.options.baseUrl);
    if (!created.ok) throw protocolError({ url: request.url, problem: created.problem, json: answer.json });
    if (callback) webhooks.expect(created.ids[0], created.status, this.options.clock.now());
    return { id: created.ids[0], ids: created.ids, url: created.url, status: created.status };
  }

  /** Reads a job's status once (transient failures retried). No id: the server's default job at `GET /status`. */
  async getStatus(jobId?: string, options: GetStatusOptions = {}): Promise<JobStatus> {
    const { wait } = resolveJobCall(this.options, jobId, options);
    const protocol = this.#deps.protocol;
    const url = protocol.statusUrl(this.options.baseUrl, jobId);
    const answer = await this.#once(jobId, wait, { url });
    return statusOrThrow(answer.json, { jobId, url }, protocol.readStatus);
  }

  /**
   * Cancels a pending job (`DELETE /jobs/:id`) and resolves with its status afterwards: `result`
   * `error`, `error.code` `canceled`; waits on it end with `JobFailedError`. Canceling a canceled job
   * resolves the same way, so transient failures are retried. Rejects with `HttpError` (status 409,
   * `serverCode` `job_finished`) when the job completed or failed first.
   */
  async cancelJob(jobId: string, options: GetStatusOptions = {}): Promise<JobStatus> {
    const { wait } = resolveJobCall(this.options, jobId, options, GET_STATUS_KEYS, true);
    if (!this.#deps.protocol.extensions) {
      throw new ConfigurationError({
        option: 'protocol',
        value: this.#deps.protocol.name,
        expected: 'a protocol that cancels jobs',
      });
    }
    const url = this.#deps.protocol.statusUrl(this.options.baseUrl, jobId);
    const answer = await this.#once(jobId, wait, { url, method: 'DELETE' });
    return statusOrThrow(answer.json, { jobId, url });
  }

  /**
   * Resolves when the job completes; rejects with `JobFailedError` when it fails, `WaitTimeoutError`
   * when `timeoutMs` passes, the signal's reason when aborted, or another `TranslationStatusError`.
   * No id: the server's default job at `GET /status`. `resumeFrom` goes on from a checkpoint.
   */
  waitForCompletion(jobId?: string, options: CompletionOptions = {}): Promise<CompletedWait> {
    return this.#wait(jobId, options, false);
  }

  /**
   * A wait; `batched` marks it one of a `waitForAll`'s many jobs (see `chooseStep`). Not an async
   * function: a pending async call would keep a promise and its reaction per wait.
   */
  #wait(jobId: string | undefined, options: CompletionOptions, batched: boolean): Promise<CompletedWait> {
    try {
      const { wait } = resolveJobCall(this.options, jobId, options, COMPLETION_KEYS);
      const now = this.options.clock.now();
      if (options.resumeFrom === undefined) return this.#start(jobId, wait, batched, now, wait.timeoutMs);
      return this.#memory
        .resume(options.resumeFrom, jobId, {
          server: this.#deps.server,
          now,
          timeoutMs: options.timeoutMs === undefined ? undefined : wait.timeoutMs,
        })
        .then((resumed) =>
          this.#start(jobId, wait, batched, now, resumed.timeoutMs ?? wait.timeoutMs, resumed),
        );
    } catch (error) {
      // The ConfigurationError of bad arguments, as a rejection (as an async function would).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
  }

  #start(
    jobId: string | undefined,
    wait: ResolvedWaitOptions,
    batched: boolean,
    now: number,
    timeoutMs: number,
    resumed?: Resumed,
  ): Promise<CompletedWait> {
    const shared = this.#sharedWatch(jobId, wait, batched);
    resumed?.seed(shared.state);
    const done = shared.wait(timeoutMs, wait.signal, wait);
    if (jobId !== undefined) this.#memory.record(jobId, shared.state, now + timeoutMs);
    return done;
  }

  /**
   * What the latest wait on `jobId` has learnt (its deadline, the last version and ETA, the server's
   * capabilities, the stream's last event id), as a string to save: pass it as `resumeFrom` to a wait
   * in this or another process (same job, same server). Works while the wait runs and after it timed out
   * or was aborted; a job whose wait ended with it, or was never waited on, is a ConfigurationError.
   */
  checkpoint(jobId: string): string {
    return this.#memory.take(jobId, this.#deps.server.capabilities);
  }

  /**
   * Yields the job's status at the start and on each change of result, stage or progress, ending after
   * the terminal status. Leaving the loop early cancels the wait and frees everything.
   */
  watch(jobId?: string, options: WatchOptions = {}): AsyncGenerator<JobStatus, void, undefined> {
    resolveJobCall(this.options, jobId, options, WATCH_KEYS); // bad arguments throw here, not at the first next()
    return watchStatuses(
      (onStatus, signal) => this.waitForCompletion(jobId, { ...options, signal, onStatus }),
      options.signal,
    );
  }

  /**
   * Waits for every job; each settles on its own and the returned promise never rejects as a whole
   * (only invalid options reject it). It is one wait per job, sharing channels as separate waits do:
   * on a server that multiplexes streams, a stream per 100 jobs; on one with the batch endpoint but no
   * multiplexed stream, held batch reads of up to `batch.maxIds` jobs (from `batch.streamBelow` jobs
   * on, when the server streams; with fewer, a stream each).
   */
  async waitForAll(jobIds: readonly string[], options: WaitForAllOptions = {}): Promise<SettledWait[]> {
    const checked = resolveWaitForAll(this.options, jobIds, options);
    return waitForAll(
      {
        options: this.options,
        deps: this.#deps,
        wait: (jobId, o, batched) => this.#wait(jobId, o, batched),
      },
      jobIds,
      [...new Set(checked.ids)],
      checked.wait,
      options,
    );
  }

  #watcherSettings(wait: ResolvedWaitOptions, batched: boolean): WatchSettings {
    return {
      batched,
      // A server without this library's extensions (HeyGen's) can only be polled.
      transport: this.#deps.protocol.extensions ? wait.transport : 'poll',
      polling: wait.polling,
      retry: wait.retry,
      requestTimeoutMs: wait.requestTimeoutMs,
      longPollWaitS: this.options.longPollWaitS,
    };
  }

  async #once(jobId: string | undefined, wait: ResolvedWaitOptions, request: Parameters<typeof readJson>[2]) {
    const { clock } = this.options;
    const startedAt = clock.now();
    const counters = { requests: 0, retries: 0 };
    const bounded = linkSignals(wait.signal);
    // Its deadline is an entry in the client's deadline heap, as a wait's is.
    const deadline: Deadline = {
      at: startedAt + wait.timeoutMs,
      index: -1,
      fire: () => {
        bounded.abort(
          new WaitTimeoutError({
            jobId,
            timeoutMs: wait.timeoutMs,
            lastStatus: undefined,
            elapsedMs: clock.now() - startedAt,
            attempts: counters.requests,
          }),
        );
      },
    };
    this.#deps.deadlines.add(deadline);
    try {
      const answer = await readJson(
        this.#deps,
        {
          jobId,
          retry: wait.retry,
          requestTimeoutMs: wait.requestTimeoutMs,
          signal: bounded.signal,
          startedAt,
          remainingMs: () => deadline.at - clock.now(),
          counters,
          ...(wait.onRetry === undefined ? {} : { onRetry: wait.onRetry }),
        },
        request,
      );
      // Learn what the server offers, so a later wait can open its event stream at once.
      this.#deps.server.capabilities = readCapabilities(answer.headers);
      return answer;
    } finally {
      this.#deps.deadlines.remove(deadline);
      bounded.dispose();
    }
  }

  #sharedWatch(jobId: string | undefined, wait: ResolvedWaitOptions, batched: boolean): SharedWatch {
    // Waits coalesce only when they would behave identically (on the client's defaults, its transport
    // included); per-call tuning gets its own watcher.
    const watches = wait.usesClientDefaults ? this.#watches[+batched] : undefined;
    const existing = watches?.get(jobId ?? '');
    if (existing?.active === true) return existing;
    const shared = new SharedWatch(this.#deps, jobId, this.#watcherSettings(wait, batched), watches);
    watches?.set(jobId ?? '', shared);
    return shared;
  }
}
