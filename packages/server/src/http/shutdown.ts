/**
 * Graceful close: held requests answer and streams end as soon as closing starts, connections that
 * outstay the grace period are destroyed, then the store and the timer heap stop.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

/** After this long, close() destroys connections that are still open. */
export const CLOSE_GRACE_MS = 2000;

export function installShutdown(app: FastifyInstance, ctx: AppContext): void {
  let forceClose: NodeJS.Timeout | undefined;
  app.addHook('preClose', (done) => {
    // Answer every held long-poll with the current state and end every event stream.
    ctx.closing.start();
    // A client that ignores `Connection: close` must not keep the server from stopping.
    forceClose = setTimeout(() => {
      app.server.closeAllConnections();
    }, CLOSE_GRACE_MS);
    forceClose.unref();
    done();
  });
  app.addHook('onClose', async () => {
    clearTimeout(forceClose);
    await ctx.webhooks.close(); // pending deliveries stay in the log: with Redis, the next run sends them
    await ctx.store.close();
    ctx.timers.clear();
  });
}
