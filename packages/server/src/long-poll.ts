/**
 * Holding a request until a job changes. Woken by the store's change notifications; the deadline is an
 * entry in the shared timer heap. A disconnect or shutdown releases the hold at once.
 */
import type { FastifyReply } from 'fastify';
import type { AppContext } from './context.js';

export type WakeReason = 'changed' | 'timeout' | 'disconnected' | 'shutdown';

/**
 * Resolves when any job in `seen` moves past the version given for it, after `timeoutMs`, when the
 * client goes away, or when the server shuts down. Takes one of the client's hold slots for the time;
 * throws the 429/503 ApiError at once when none is free.
 */
export function holdUntilChange(
  ctx: AppContext,
  clientId: string,
  reply: FastifyReply,
  seen: ReadonlyMap<string, number>,
  timeoutMs: number,
): Promise<WakeReason> {
  const release = ctx.holds.acquire(clientId, 'held requests');
  return new Promise((resolve) => {
    const cleanups: (() => void)[] = [];
    let done = false;
    const finish = (reason: WakeReason): void => {
      if (done) return;
      done = true;
      for (const cleanup of cleanups) cleanup();
      release();
      ctx.metrics.heldLongPolls.dec();
      resolve(reason);
    };
    ctx.metrics.heldLongPolls.inc();

    for (const [id, version] of seen) {
      cleanups.push(
        ctx.store.subscribe(id, (job) => {
          if (job.version > version) finish('changed');
        }),
      );
    }
    cleanups.push(
      ctx.timers.after(timeoutMs, () => {
        finish('timeout');
      }),
    );
    const onClose = (): void => {
      finish('disconnected');
    };
    reply.raw.once('close', onClose);
    cleanups.push(() => reply.raw.off('close', onClose));
    const onShutdown = (): void => {
      finish('shutdown');
    };
    ctx.shutdown.addEventListener('abort', onShutdown, { once: true });
    cleanups.push(() => {
      ctx.shutdown.removeEventListener('abort', onShutdown);
    });
    if (ctx.shutdown.aborted) finish('shutdown');

    // Read again now that we listen, so a change between the caller's read and the subscription counts.
    const ids = [...seen.keys()];
    ctx.store.getMany(ids).then(
      (jobs) => {
        if (jobs.some((job, i) => job !== undefined && job.version > (seen.get(ids[i] ?? '') ?? Infinity))) {
          finish('changed');
        }
      },
      () => {
        finish('changed');
      },
    );
  });
}

/** Waits `ms` on the shared timer heap; resolves early (false) on disconnect or shutdown. */
export function pause(ctx: AppContext, reply: FastifyReply, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (completed: boolean): void => {
      cancel();
      reply.raw.off('close', onClose);
      ctx.shutdown.removeEventListener('abort', onShutdown);
      resolve(completed);
    };
    const onClose = (): void => {
      finish(false);
    };
    const onShutdown = (): void => {
      finish(false);
    };
    const cancel = ctx.timers.after(ms, () => {
      finish(true);
    });
    reply.raw.once('close', onClose);
    ctx.shutdown.addEventListener('abort', onShutdown, { once: true });
  });
}
