/**
 * The onRequest hook for API keys and rate limits, registered only when either is on, and who a
 * request counts as for per-client limits.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { clientIdentity, createKeyChecker, presentedKey } from './auth.js';
import type { Clock } from '../domain/clock.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { FixedWindowLimiter, rateLimitHeader, rateLimitPolicyHeader } from './rate-limit.js';
import type { ServerSettings } from '../settings/settings.js';

/**
 * Routes open without an API key: liveness for orchestrators, the public contract, and the dashboard's
 * page and files (no data in them; the page asks for a key and sends it on its own requests).
 */
const OPEN_ROUTES = new Set(['/healthz', '/openapi.json', '/', '/dashboard', '/dashboard/assets/:version/*']);

type OnRequest = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/**
 * Who per-client limits count `request` as: a digest of a valid API key (set by the access hook), else
 * the address. Worked out on demand, since only held requests and the access hook need it.
 */
export function clientIdOf(request: FastifyRequest): string {
  if (request.clientId === '') request.clientId = clientIdentity(undefined, request.ip);
  return request.clientId;
}

/** The hook checking keys and counting requests, or undefined when neither is configured. */
export function accessHook(settings: ServerSettings, clock: Clock): OnRequest | undefined {
  const authEnabled = settings.apiKeys.length > 0;
  if (!authEnabled && settings.rateLimit <= 0) return undefined;
  const isKnownKey = createKeyChecker(settings.apiKeys);
  const limiter =
    settings.rateLimit > 0
      ? new FixedWindowLimiter(settings.rateLimit, settings.rateLimitWindowMs)
      : undefined;
  const policy = rateLimitPolicyHeader(settings.rateLimit, settings.rateLimitWindowMs);

  return (request, reply, done) => {
    const route = request.routeOptions.url;
    const open = request.method === 'OPTIONS' || (route !== undefined && OPEN_ROUTES.has(route));
    const key = presentedKey(request.headers.authorization, request.headers['x-api-key']);
    const validKey = authEnabled && isKnownKey(key);
    // An unchecked key is the caller's choice, so it cannot buy a fresh quota: count by address.
    request.clientId = clientIdentity(validKey ? key : undefined, request.ip);
    if (limiter !== undefined && route !== '/healthz') {
      const decision = limiter.take(request.clientId, clock.now());
      reply.header('ratelimit-policy', policy);
      reply.header('ratelimit', rateLimitHeader(decision));
      if (!decision.allowed) {
        done(
          new ApiError(
            ErrorCode.RateLimited,
            `Too many requests: the limit is ${decision.limit} per ${Math.ceil(settings.rateLimitWindowMs / 1000)} s`,
            { 'retry-after': String(decision.resetSeconds) },
          ),
        );
        return;
      }
    }
    if (authEnabled && !open && !validKey) {
      request.log.warn({ clientId: request.clientId, keyPresented: key !== undefined }, 'unauthorized');
      const challenge =
        key === undefined
          ? 'Bearer realm="translation-status"'
          : 'Bearer realm="translation-status", error="invalid_token"';
      done(
        new ApiError(
          ErrorCode.Unauthorized,
          key === undefined ? 'No API key was sent' : 'The API key is not valid',
          { 'www-authenticate': challenge },
        ),
      );
      return;
    }
    done();
  };
}
