/**
 * Holding a request until a job changes. Woken by the store's change notifications; the deadline is an
 * entry in the shared timer heap. A disconnect or shutdown releases the hold at once.
 *
 * Ten thousand holds at once is the design, so a hold is one small object whose bound handlers are
 * shared by everything it listens to, rather than a closure (and a cleanup closure) per listener; it
 * settles its request's one promise with the answer itself, rather than a reason for a further step.
 */
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { withJobs } from '../domain/read-now.js';
import type { JobResource } from '../protocol/job-resource.js';
import type { WakeOn, WakeReason } from './wake.js';
import { movedPast } from './wake.js';

/**
 * What a held request answers once its hold ends, given why it ended. A module-level function rather
 * than a closure per hold: it gets the hold's own context, reply and ids, and, when a job's change ended
 * the hold, that job as the store just told it (fresh: answering it needs no second read).
 */
export type AfterHold<T> = (
  ctx: AppContext,
  reply: FastifyReply,
  ids: readonly string[],
  reason: WakeReason,
  changed: JobResource | undefined,
) => T | PromiseLike<T>;

/** A request to hold: who asks, for which jobs, until what, and what it answers at the end. */
export interface HeldRequest<T> {
  readonly reply: FastifyReply;
  /** Whose hold slot it takes (`clientIdOf(request)`). */
  readonly clientId: string;
  /** The jobs watched. */
  readonly ids: readonly string[];
  /** The version of each job in `ids` the client has seen, at the same index. */
  readonly seenVersions: readonly number[];
  readonly wakeOn: WakeOn;
  readonly timeoutMs: number;
  readonly after: AfterHold<T>;
}

class Hold<T> {
  readonly #ctx: AppContext;
  readonly #request: HeldRequest<T>;
  readonly #resolve: (answer: T | PromiseLike<T>) => void;
  readonly #reject: (error: unknown) => void;
  readonly #unsubscribes: (() => void)[] = [];
  #cancelTimer: (() => void) | undefined;
  #done = false;

  constructor(
    ctx: AppContext,
    request: HeldRequest<T>,
    resolve: (answer: T | PromiseLike<T>) => void,
    reject: (error: unknown) => void,
  ) {
    this.#ctx = ctx;
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(): void {
    const ctx = this.#ctx;
    const { ids, reply, timeoutMs } = this.#request;
    ctx.metrics.heldLongPolls.inc();
    for (const id of ids) this.#unsubscribes.push(ctx.store.subscribe(id, this.onChange));
    this.#cancelTimer = ctx.timers.after(timeoutMs, this.onTimeout);
    reply.raw.on('close', this.onClose);
    ctx.closing.add(this.onShutdown);
    // A client that left while the job was being read will send no 'close' any more.
    if (reply.raw.destroyed) this.#finish('disconnected', undefined);
    if (this.#done) return;
    // Read again now that we listen, so a change between the caller's read and the subscription counts.
    // A failed re-read ends the hold too: the answer then comes from a fresh read, or carries its error.
    try {
      const checked = withJobs(ctx.store, ids, this.onReread);
      if (checked !== undefined) checked.then(undefined, this.onRereadFailed);
    } catch {
      this.#finish('changed', undefined);
    }
  }

  #moved(job: JobResource): boolean {
    const { ids, seenVersions, wakeOn } = this.#request;
    const i = ids.indexOf(job.id);
    return i >= 0 && movedPast(job, seenVersions[i] ?? job.version, wakeOn);
  }

  #finish(reason: WakeReason, changed: JobResource | undefined): void {
    if (this.#done) return;
    this.#done = true;
    const ctx = this.#ctx;
    const { reply, clientId, ids, after } = this.#request;
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.#cancelTimer?.();
    reply.raw.off('close', this.onClose);
    ctx.closing.remove(this.onShutdown);
    ctx.holds.release(clientId);
    ctx.metrics.heldLongPolls.dec();
    try {
      this.#resolve(after(ctx, reply, ids, reason, changed));
    } catch (error) {
      this.#reject(error);
    }
  }

  readonly onReread = (jobs: readonly (JobResource | undefined)[]): undefined => {
    const moved = jobs.find((job) => job !== undefined && this.#moved(job));
    if (moved !== undefined) this.#finish('changed', moved);
    return undefined;
  };
  readonly onRereadFailed = (): void => {
    this.#finish('changed', undefined);
  };
  readonly onChange = (job: JobResource): void => {
    if (this.#moved(job)) this.#finish('changed', job);
  };
  readonly onTimeout = (): void => {
    this.#finish('timeout', undefined);
  };
  readonly onClose = (): void => {
    this.#finish('disconnected', undefined);
  };
  readonly onShutdown = (): void => {
    this.#finish('shutdown', undefined);
  };
}

/**
 * Holds the request until any of its jobs moves past the version the client has seen (with `wakeOn:
 * 'result'`, until one ends), its time passes, the client goes away or the server shuts down; then
 * resolves with what its `after` answers for that reason. Takes one of the client's hold slots for the
 * time; throws the 429/503 ApiError at once when none is free.
 */
export function holdUntilChange<T>(ctx: AppContext, request: HeldRequest<T>): Promise<T> {
  ctx.holds.acquire(request.clientId, 'held requests');
  return new Promise<T>((resolve, reject) => {
    new Hold(ctx, request, resolve, reject).start();
  });
}
