/**
 * buildApp: the Fastify application with every route, hook and error handler. No listening here.
 */
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify, { LogController } from 'fastify';
import type { DestinationStream, Level } from 'pino';
import { levels } from 'pino';
import { accessHook } from './access.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { Closing } from './closing.js';
import type { AppContext } from './context.js';
import { capabilitiesHeader } from './context.js';
import { ApiError, ErrorCode } from './errors.js';
import { HoldCounter } from './holds.js';
import { frameworkErrorHandler, installErrorHandling, socketErrorHandler } from './http-errors.js';
import { createMetrics } from './metrics.js';
import type { JobInput } from './model.js';
import { childSeed, createRandom } from './prng.js';
import { eventRoutes } from './routes/events.js';
import { jobRoutes } from './routes/jobs.js';
import { opsRoutes } from './routes/ops.js';
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
    /**
     * Who per-client limits count this request as: a digest of a valid API key, else the address.
     * Empty until needed; read it with `clientIdOf(request)`.
     */
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

/** Whether `log` writes lines at `level` ('silent' writes none). */
const logs = (log: FastifyBaseLogger, level: Level): boolean =>
  (levels.values[log.level] ?? Infinity) <= (levels.values[level] ?? -Infinity);

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
  const defaultJob = await store.create(defaultJobInput(settings));
  const ctx: AppContext = {
    settings,
    store,
    clock,
    timers,
    metrics: createMetrics(() => store.countByResult()),
    closing: new Closing(),
    faultRandom: createRandom(childSeed(seeds)),
    defaultJobId: defaultJob.id,
    holds: new HoldCounter({ total: settings.maxHeldRequests, perClient: settings.maxHeldPerClient }),
    capabilities: capabilitiesHeader(settings),
  };

  const app = Fastify({
    // With level silent there is no logger at all: Fastify then skips a child logger per request.
    logger: settings.logLevel === 'silent' ? false : loggerOptions(settings, prettyLogs, logStream),
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

  const closing = ctx.closing;
  const maxUrlLength = settings.maxUrlLength;
  // Checks every request needs, kept synchronous: an async hook costs a promise per request.
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
  const access = accessHook(settings, clock);
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
