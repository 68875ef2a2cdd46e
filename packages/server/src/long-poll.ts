/**
 * Holding a request until a job changes. Woken by the store's change notifications; the deadline is an
 * entry in the shared timer heap. A disconnect or shutdown releases the hold at once.
 *
 * Ten thousand holds at once is the design, so a hold is one small object whose bound handlers are
 * shared by everything it listens to, rather than a closure (and a cleanup closure) per listener; it
 * settles its request's one promise with the answer itself, rather than a reason for a further step.
 */
import type { FastifyReply } from 'fastify';
import type { AppContext } from './context.js';
import type { JobResource } from './model.js';

export type WakeReason = 'changed' | 'timeout' | 'disconnected' | 'shutdown';

/** What ends a hold: any change of stage or result (the default), or only a job ending. */
export type WakeOn = 'change' | 'result';

/**
 * What a held request answers once its hold ends, given why it ended. A module-level function rather
 * than a closure per hold: it gets the hold's own context, reply and ids.
 */
export type AfterHold<T> = (
  ctx: AppContext,
  reply: FastifyReply,
  ids: readonly string[],
  reason: WakeReason,
) => T | PromiseLike<T>;

class Hold<T> {
  readonly #ctx: AppContext;
  readonly #reply: FastifyReply;
  readonly #clientId: string;
  readonly #ids: readonly string[];
  readonly #versions: readonly number[];
  readonly #wakeOn: WakeOn;
  readonly #after: AfterHold<T>;
  readonly #resolve: (answer: T | PromiseLike<T>) => void;
  readonly #reject: (error: unknown) => void;
  readonly #unsubscribes: (() => void)[] = [];
  #cancelTimer: (() => void) | undefined;
  #done = false;

  constructor(
    ctx: AppContext,
    reply: FastifyReply,
    clientId: string,
    ids: readonly string[],
    versions: readonly number[],
    wakeOn: WakeOn,
    after: AfterHold<T>,
    resolve: (answer: T | PromiseLike<T>) => void,
    reject: (error: unknown) => void,
  ) {
    this.#ctx = ctx;
    this.#reply = reply;
    this.#clientId = clientId;
    this.#ids = ids;
    this.#versions = versions;
    this.#wakeOn = wakeOn;
    this.#after = after;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(timeoutMs: number): void {
    const ctx = this.#ctx;
    ctx.metrics.heldLongPolls.inc();
    for (const id of this.#ids) this.#unsubscribes.push(ctx.store.subscribe(id, this.onChange));
    this.#cancelTimer = ctx.timers.after(timeoutMs, this.onTimeout);
    this.#reply.raw.on('close', this.onClose);
    ctx.closing.add(this.onShutdown);
    // A client that left while the job was being read will send no 'close' any more.
    if (this.#reply.raw.destroyed) this.#finish('disconnected');
    if (this.#done) return;
    // Read again now that we listen, so a change between the caller's read and the subscription counts:
    // at once from a store that can peek, else through a promise.
    const store = ctx.store;
    if (store.peek !== undefined) {
      try {
        for (const id of this.#ids) {
          const job = store.peek(id);
          if (job !== undefined && this.#moved(job)) {
            this.#finish('changed');
            return;
          }
        }
      } catch {
        this.#finish('changed'); // as a failed re-read below: answer from a fresh read, or its error
      }
      return;
    }
    store.getMany(this.#ids).then(
      (jobs) => {
        if (jobs.some((job) => job !== undefined && this.#moved(job))) this.#finish('changed');
      },
      () => {
        this.#finish('changed');
      },
    );
  }

  #moved(job: JobResource): boolean {
    const i = this.#ids.indexOf(job.id);
    if (i < 0) return false;
    if (this.#wakeOn === 'result') return job.result !== 'pending';
    return job.version > (this.#versions[i] ?? Infinity);
  }

  #finish(reason: WakeReason): void {
    if (this.#done) return;
    this.#done = true;
    const ctx = this.#ctx;
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.#cancelTimer?.();
    this.#reply.raw.off('close', this.onClose);
    ctx.closing.remove(this.onShutdown);
    ctx.holds.release(this.#clientId);
    ctx.metrics.heldLongPolls.dec();
    try {
      this.#resolve(this.#after(ctx, this.#reply, this.#ids, reason));
    } catch (error) {
      this.#reject(error);
    }
  }

  readonly onChange = (job: JobResource): void => {
    if (this.#moved(job)) this.#finish('changed');
  };
  readonly onTimeout = (): void => {
    this.#finish('timeout');
  };
  readonly onClose = (): void => {
    this.#finish('disconnected');
  };
  readonly onShutdown = (): void => {
    this.#finish('shutdown');
  };
}

/**
 * Holds the request until any job in `ids` moves past the version at the same index of `versions`
 * (with `wakeOn: 'result'`, only when one ends), `timeoutMs` passes, the client goes away or the
 * server shuts down; then resolves with what `after` answers for that reason. Takes one of the
 * client's hold slots for the time; throws the 429/503 ApiError at once when none is free.
 */
export function holdUntilChange<T>(
  ctx: AppContext,
  clientId: string,
  reply: FastifyReply,
  ids: readonly string[],
  versions: readonly number[],
  timeoutMs: number,
  wakeOn: WakeOn,
  after: AfterHold<T>,
): Promise<T> {
  ctx.holds.acquire(clientId, 'held requests');
  return new Promise<T>((resolve, reject) => {
    new Hold(ctx, reply, clientId, ids, versions, wakeOn, after, resolve, reject).start(timeoutMs);
  });
}

/** Waits `ms` on the shared timer heap; resolves early (false) on disconnect or shutdown. */
export function pause(ctx: AppContext, reply: FastifyReply, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (completed: boolean): void => {
      cancel();
      reply.raw.off('close', onEarly);
      ctx.closing.remove(onEarly);
      resolve(completed);
    };
    const onEarly = (): void => {
      finish(false);
    };
    const cancel = ctx.timers.after(ms, () => {
      finish(true);
    });
    reply.raw.once('close', onEarly);
    ctx.closing.add(onEarly);
  });
}
