/**
 * buildApp: the Fastify application with every route, hook and error handler. No listening here.
 */
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { setMaxListeners } from 'node:events';
import type { DestinationStream } from 'pino';
import { clientIdentity, createKeyChecker, presentedKey } from './auth.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { AppContext } from './context.js';
import { ApiError, ErrorCode } from './errors.js';
import { HoldCounter } from './holds.js';
import { frameworkErrorHandler, installErrorHandling, socketErrorHandler } from './http-errors.js';
import { createMetrics } from './metrics.js';
import type { JobInput } from './model.js';
import { childSeed, createRandom } from './prng.js';
import { eventRoutes } from './routes/events.js';
import { jobRoutes } from './routes/jobs.js';
import { opsRoutes } from './routes/ops.js';
import { FixedWindowLimiter, rateLimitHeader, rateLimitPolicyHeader } from './rate-limit.js';
import { SECURITY_HEADERS } from './security-headers.js';
import type { ServerSettings } from './settings.js';
import { validateSettings } from './settings.js';
import type { JobStore } from './store.js';
import { InMemoryJobStore } from './store.js';
import { TimerQueue } from './timer-queue.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The store behind the routes. */
    jobStore: JobStore;
    /** The id of the job GET /status answers for. */
    defaultJobId: string;
  }
  interface FastifyRequest {
    /** Who per-client limits count this request as: a digest of a valid API key, else the address. */
    clientId: string;
  }
}

/** Settings plus what only code can pass. */
export interface BuildAppOptions extends Partial<ServerSettings> {
  /** @default systemClock */
  readonly clock?: Clock;
  /** A store to use instead of a new InMemoryJobStore; the app closes it on close. */
  readonly store?: JobStore;
  /** Pretty logs (pino-pretty) instead of JSON lines. @default false */
  readonly prettyLogs?: boolean;
  /** Where log lines go instead of stdout (tests capture them). Ignored with prettyLogs. */
  readonly logStream?: DestinationStream;
}

/** Longest path segment (a job id) the router accepts; longer is a 414. */
const MAX_PATH_SEGMENT = 512;

/** After this long, close() destroys connections that are still open. */
export const CLOSE_GRACE_MS = 2000;

/** Header names logs must never show, wherever a log line carries request headers. */
const REDACTED = ['authorization', 'cookie', '["x-api-key"]'].flatMap((name) => [
  `req.headers${name.startsWith('[') ? name : `.${name}`}`,
  `headers${name.startsWith('[') ? name : `.${name}`}`,
]);

/** Routes open without an API key: liveness for orchestrators, and the public contract. */
const OPEN_ROUTES = new Set(['/healthz', '/openapi.json']);

/** The default job: processing time = `delayMs`, outcome from `errorRate`. */
export function defaultJobInput(settings: ServerSettings): JobInput {
  return {
    sourceLanguage: 'en',
    targetLanguage: 'es',
    videoDurationSeconds: Math.max(1, Math.round(settings.delayMs / 3000)),
    lipSync: true,
    simulate: { durationMs: settings.delayMs },
  };
}

function loggerOptions(
  settings: ServerSettings,
  pretty: boolean,
  stream: DestinationStream | undefined,
): NonNullable<FastifyServerOptions['logger']> {
  const base = { level: settings.logLevel, redact: REDACTED };
  if (stream !== undefined && !pretty) return { ...base, stream };
  return pretty
    ? {
        ...base,
        transport: {
          target: 'pino-pretty',
          options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
        },
      }
    : base;
}

export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { clock = systemClock, store: givenStore, prettyLogs = false, logStream, ...partial } = options;
  const settings = validateSettings(partial);
  const seeds = createRandom(settings.seed);
  const timers = new TimerQueue(clock);
  const store =
    givenStore ??
    new InMemoryJobStore({
      clock,
      timers,
      seed: childSeed(seeds),
      model: { timeScale: settings.timeScale, errorRate: settings.errorRate, etaError: settings.etaError },
    });
  const shutdown = new AbortController();
  // Every held long-poll and event stream listens for shutdown: thousands of listeners is the design.
  setMaxListeners(0, shutdown.signal);
  const defaultJob = await store.create(defaultJobInput(settings));
  const ctx: AppContext = {
    settings,
    store,
    clock,
    timers,
    metrics: createMetrics(() => store.countByResult()),
    shutdown: shutdown.signal,
    faultRandom: createRandom(childSeed(seeds)),
    defaultJobId: defaultJob.id,
    holds: new HoldCounter({ total: settings.maxHeldRequests, perClient: settings.maxHeldPerClient }),
  };

  const app = Fastify({
    logger: loggerOptions(settings, prettyLogs, logStream),
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.bodyLimitBytes,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Ids longer than this are answered 414 by frameworkErrors, before any route runs.
    routerOptions: { maxParamLength: MAX_PATH_SEGMENT },
    frameworkErrors: frameworkErrorHandler(MAX_PATH_SEGMENT),
    clientErrorHandler: socketErrorHandler,
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: true },
    },
  });
  app.decorate('jobStore', store);
  app.decorate('defaultJobId', defaultJob.id);
  app.decorateRequest('clientId', '');
  // Only JSON bodies: anything else is a 415, not a string for the schema to reject.
  app.removeContentTypeParser(['text/plain']);

  installErrorHandling(app, settings.bodyLimitBytes);

  const authEnabled = settings.apiKeys.length > 0;
  const isKnownKey = createKeyChecker(settings.apiKeys);
  const limiter =
    settings.rateLimit > 0
      ? new FixedWindowLimiter(settings.rateLimit, settings.rateLimitWindowMs)
      : undefined;
  const policy = rateLimitPolicyHeader(settings.rateLimit, settings.rateLimitWindowMs);

  app.addHook('onRequest', async (request, reply) => {
    request.log.debug({ headers: request.headers }, 'request received');
    if (shutdown.signal.aborted) {
      reply.header('connection', 'close');
      throw new ApiError(ErrorCode.Unavailable, 'the server is shutting down', { 'retry-after': '1' });
    }
    if (request.url.length > settings.maxUrlLength) {
      throw new ApiError(
        ErrorCode.UriTooLong,
        `The request target is longer than the limit of ${settings.maxUrlLength} characters`,
      );
    }
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
        throw new ApiError(
          ErrorCode.RateLimited,
          `Too many requests: the limit is ${decision.limit} per ${Math.ceil(settings.rateLimitWindowMs / 1000)} s`,
          { 'retry-after': String(decision.resetSeconds) },
        );
      }
    }
    if (authEnabled && !open && !validKey) {
      request.log.warn({ clientId: request.clientId, keyPresented: key !== undefined }, 'unauthorized');
      const challenge =
        key === undefined
          ? 'Bearer realm="translation-status"'
          : 'Bearer realm="translation-status", error="invalid_token"';
      throw new ApiError(
        ErrorCode.Unauthorized,
        key === undefined ? 'No API key was sent' : 'The API key is not valid',
        { 'www-authenticate': challenge },
      );
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (shutdown.signal.aborted) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  let forceClose: NodeJS.Timeout | undefined;
  app.addHook('preClose', (done) => {
    // Answer every held long-poll with the current state and end every event stream.
    shutdown.abort();
    // A client that ignores `Connection: close` must not keep the server from stopping.
    forceClose = setTimeout(() => {
      app.server.closeAllConnections();
    }, CLOSE_GRACE_MS);
    forceClose.unref();
    done();
  });
  app.addHook('onClose', async () => {
    clearTimeout(forceClose);
    await store.close();
    timers.clear();
  });

  if (settings.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: settings.corsOrigins.includes('*') ? '*' : settings.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'prefer', 'if-none-match', 'last-event-id', 'authorization'],
      exposedHeaders: [
        'retry-after',
        'poll-after-ms',
        'etag',
        'location',
        'link',
        'status-capabilities',
        'preference-applied',
      ],
    });
  }
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'translation-status',
        version: '0.1.0',
        description: 'A simulated AI video-translation service. See docs/protocol.md.',
      },
    },
  });
  await app.register((instance, _opts, done) => {
    jobRoutes(instance, ctx);
    eventRoutes(instance, ctx);
    opsRoutes(instance, ctx);
    done();
  });
  return app;
}
