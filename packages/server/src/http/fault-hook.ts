/**
 * Applies injected faults to a route (preHandler). Off unless a fault setting is non-zero, and then not
 * registered at all, so a server without faults pays nothing per request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import type { Fault } from './faults.js';
import { decideFault, FAULT_RETRY_AFTER_SECONDS } from './faults.js';
import { pause } from '../holds/pause.js';

export const STATUS_ROUTE_FAULTS: ReadonlySet<Fault> = new Set([
  'drop',
  'hang',
  'throttle',
  'error500',
  'error503',
]);
export const EVENT_ROUTE_FAULTS: ReadonlySet<Fault> = new Set(['drop']);

const retryAfter = { 'retry-after': String(FAULT_RETRY_AFTER_SECONDS) };

/** The preHandler option for a route: the fault hook when any fault is on, else none. */
export function faultPreHandler(
  ctx: AppContext,
  allowed: ReadonlySet<Fault>,
): { preHandler?: ReturnType<typeof faultHook> } {
  const s = ctx.settings;
  const rates = [s.faultErrorRate, s.faultThrottleRate, s.faultDropRate, s.faultHangRate];
  const on = s.faultLatencyMs > 0 || rates.some((rate) => rate > 0);
  return on ? { preHandler: faultHook(ctx, allowed) } : {};
}

export function faultHook(ctx: AppContext, allowed: ReadonlySet<Fault>) {
  const s = ctx.settings;
  const rates = {
    errorRate: s.faultErrorRate,
    throttleRate: s.faultThrottleRate,
    dropRate: s.faultDropRate,
    hangRate: s.faultHangRate,
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (s.faultLatencyMs > 0 && !(await pause(ctx, reply, s.faultLatencyMs)) && !ctx.closing.started) {
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
        if (!ctx.closing.started) return reply.hijack();
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
