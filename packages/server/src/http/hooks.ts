/**
 * The hooks every request passes: the checks on arrival, the headers every answer carries, and the one
 * access-log line and metric per answer. All synchronous: an async hook costs a promise per request.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { accessHook } from './access.js';
import { logs } from './logging.js';
import { SECURITY_HEADERS } from './security-headers.js';

export function installRequestHooks(app: FastifyInstance, ctx: AppContext): void {
  const { closing, settings } = ctx;
  const maxUrlLength = settings.maxUrlLength;
  app.addHook('onRequest', (request, reply, done) => {
    if (logs(request.log, 'debug')) request.log.debug({ headers: request.headers }, 'request received');
    if (closing.started) {
      reply.header('connection', 'close');
      done(new ApiError(ErrorCode.Unavailable, 'the server is shutting down', { 'retry-after': '1' }));
      return;
    }
    if (request.url.length > maxUrlLength) {
      done(
        new ApiError(
          ErrorCode.UriTooLong,
          `The request target is longer than the limit of ${maxUrlLength} characters`,
        ),
      );
      return;
    }
    done();
  });
  // Keys and rate limits cost nothing when they are off: their hook is only registered when on.
  const access = accessHook(settings, ctx.clock);
  if (access !== undefined) app.addHook('onRequest', access);
  // The headers every answer carries, added as it is sent rather than on arrival, so that a held request
  // does not carry them through its wait. Answers sent once shutdown has begun close their connection.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (closing.started) reply.header('connection', 'close');
    done(null, payload);
  });
  const countRequest = ctx.metrics.countRequest;
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    countRequest(request.method, route, reply.statusCode);
    // Building the line costs even when pino drops it; 'silent' should cost nothing.
    if (logs(request.log, 'info')) {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    }
    done();
  });
}
