/**
 * buildApp: the Fastify application with every route, hook and error handler. No listening here.
 */
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify, { LogController } from 'fastify';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { AppContext } from './context.js';
import { ApiError, ErrorCode } from './errors.js';
import { installErrorHandling } from './http-errors.js';
import { createMetrics } from './metrics.js';
import type { JobInput } from './model.js';
import { childSeed, createRandom } from './prng.js';
import { eventRoutes } from './routes/events.js';
import { jobRoutes } from './routes/jobs.js';
import { opsRoutes } from './routes/ops.js';
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
}

/** Settings plus what only code can pass. */
export interface BuildAppOptions extends Partial<ServerSettings> {
  /** @default systemClock */
  readonly clock?: Clock;
  /** A store to use instead of a new InMemoryJobStore; the app closes it on close. */
  readonly store?: JobStore;
  /** Pretty logs (pino-pretty) instead of JSON lines. @default false */
  readonly prettyLogs?: boolean;
}

/** After this long, close() destroys connections that are still open. */
export const CLOSE_GRACE_MS = 2000;

/** Header names logs must never show. */
const REDACTED = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'];

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
): NonNullable<FastifyServerOptions['logger']> {
  const base = { level: settings.logLevel, redact: REDACTED };
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
  const { clock = systemClock, store: givenStore, prettyLogs = false, ...partial } = options;
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
    held: 0,
  };

  const app = Fastify({
    logger: loggerOptions(settings, prettyLogs),
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.bodyLimitBytes,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: true },
    },
  });
  app.decorate('jobStore', store);
  app.decorate('defaultJobId', defaultJob.id);
  // Only JSON bodies: anything else is a 415, not a string for the schema to reject.
  app.removeContentTypeParser(['text/plain']);

  installErrorHandling(app, settings.bodyLimitBytes);

  app.addHook('onRequest', async (_request, reply) => {
    if (shutdown.signal.aborted) {
      reply.header('connection', 'close');
      throw new ApiError(ErrorCode.Unavailable, 'the server is shutting down', { 'retry-after': '1' });
    }
  });
  app.addHook('onSend', async (_request, reply) => {
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
