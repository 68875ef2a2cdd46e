/**
 * A wait on the shared timer heap that a disconnect or shutdown cuts short.
 */
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';

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
