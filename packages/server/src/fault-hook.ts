/**
 * Applies injected faults to a route (preHandler). Off unless a fault setting is non-zero.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';
import { ApiError, ErrorCode } from './errors.js';
import type { Fault } from './faults.js';
import { decideFault, FAULT_RETRY_AFTER_SECONDS } from './faults.js';
import { pause } from './long-poll.js';

export const STATUS_ROUTE_FAULTS: ReadonlySet<Fault> = new Set([
  'drop',
  'hang',
  'throttle',
  'error500',
  'error503',
]);
export const EVENT_ROUTE_FAULTS: ReadonlySet<Fault> = new Set(['drop']);

const retryAfter = { 'retry-after': String(FAULT_RETRY_AFTER_SECONDS) };

export function faultHook(ctx: AppContext, allowed: ReadonlySet<Fault>) {
  const s = ctx.settings;
  const rates = {
    errorRate: s.faultErrorRate,
    throttleRate: s.faultThrottleRate,
    dropRate: s.faultDropRate,
    hangRate: s.faultHangRate,
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (s.faultLatencyMs > 0 && !(await pause(ctx, reply, s.faultLatencyMs)) && !ctx.shutdown.aborted) {
      return reply.hijack(); // the client left during the added latency
    }
    switch (decideFault(ctx.faultRandom, rates, allowed)) {
      case 'none':
        return undefined;
      case 'drop':
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      case 'hang': {
        const timeout = 2 ** 31 - 1;
        await pause(ctx, reply, timeout);
        if (!ctx.shutdown.aborted) return reply.hijack();
        throw new ApiError(ErrorCode.Unavailable, 'the server is shutting down', retryAfter);
      }
      case 'throttle':
        throw new ApiError(ErrorCode.RateLimited, 'Too many requests (injected fault)', retryAfter);
      case 'error500':
        throw new ApiError(ErrorCode.InternalError);
      case 'error503':
        throw new ApiError(ErrorCode.Unavailable, 'injected fault', retryAfter);
    }
  };
}
