/**
 * buildApp: the Fastify application with every route, hook and error handler. No listening here.
 */
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify, { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { AppContext } from './context.js';
import type { Clock } from './domain/clock.js';
import { systemClock } from './domain/clock.js';
import { InMemoryJobStore } from './domain/memory-store.js';
import { RedisJobStore } from './domain/redis/redis-store.js';
import type { JobInput } from './domain/plan.js';
import { childSeed, createRandom } from './domain/prng.js';
import type { JobStore } from './domain/store.js';
import { TimerQueue } from './domain/timer-queue.js';
import { HoldCounter } from './holds/caps.js';
import { Closing } from './http/closing.js';
import { frameworkErrorHandler, installErrorHandling, socketErrorHandler } from './http/error-handler.js';
import { installRequestHooks } from './http/hooks.js';
import { loggerOptions } from './http/logging.js';
import { createMetrics } from './http/metrics.js';
import { installShutdown } from './http/shutdown.js';
import { capabilitiesHeader } from './protocol/capabilities.js';
import { registerRoutes } from './routes/index.js';
import type { ServerSettings } from './settings/settings.js';
import { validateSettings } from './settings/settings.js';
import { MEMORY_STORE } from './settings/store-url.js';
import { MemoryDeliveryLog } from './webhooks/delivery-log.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { RedisDeliveryLog } from './webhooks/redis-delivery-log.js';
import { webhookKey } from './webhooks/signing.js';

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

/** What a store needs of the app besides the settings. */
interface StoreNeeds {
  readonly clock: Clock;
  readonly timers: TimerQueue;
  readonly seed: number;
  readonly log: FastifyBaseLogger;
}

/** The store `storeUrl` names: this process's memory, or a Redis shared by every instance. */
async function openStore(settings: ServerSettings, needs: StoreNeeds): Promise<JobStore> {
  const model = { timeScale: settings.timeScale, errorRate: settings.errorRate, etaError: settings.etaError };
  if (settings.storeUrl === MEMORY_STORE) {
    return new InMemoryJobStore({ clock: needs.clock, timers: needs.timers, seed: needs.seed, model });
  }
  return RedisJobStore.connect({
    url: settings.storeUrl,
    model,
    seed: needs.seed,
    timers: needs.timers,
    retentionMs: settings.retentionMs,
    log: needs.log,
  });
}

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

export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { clock = systemClock, store: givenStore, prettyLogs = false, logStream, ...partial } = options;
  const settings = validateSettings(partial);
  const seeds = createRandom(settings.seed);
  const timers = new TimerQueue(clock);
  // The app's logger comes first, so that a store behind a network reports its connection through it.
  const app = Fastify({
    logger: loggerOptions(settings, prettyLogs, logStream),
    // One line per request, written by the onResponse hook (http/hooks.ts).
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
  const store =
    givenStore ?? (await openStore(settings, { clock, timers, seed: childSeed(seeds), log: app.log }));
  const input = defaultJobInput(settings);
  const defaultJob = await (store.createDefault?.(input) ?? store.create(input));
  const metrics = createMetrics(() => store.countByResult());
  const ctx: AppContext = {
    settings,
    store,
    clock,
    timers,
    metrics,
    closing: new Closing(),
    faultRandom: createRandom(childSeed(seeds)),
    defaultJobId: defaultJob.id,
    holds: new HoldCounter({ total: settings.maxHeldRequests, perClient: settings.maxHeldPerClient }),
    capabilities: capabilitiesHeader(settings),
    webhooks: new WebhookDispatcher({
      store,
      clock,
      timers,
      keys: settings.webhookSecrets.map(webhookKey),
      timeScale: settings.timeScale,
      timeoutMs: settings.webhookTimeoutMs,
      random: createRandom(childSeed(seeds)),
      counters: metrics.webhooks,
      log: store instanceof RedisJobStore ? new RedisDeliveryLog(store.shared) : new MemoryDeliveryLog(),
      onError: (error, doing) => {
        app.log.warn({ err: error }, `${doing} failed; the next sweep tries again`);
      },
    }),
  };
  // Deliveries and callbacks left by an earlier run (or a stopped instance) go on from here.
  ctx.webhooks.start();

  // A store that lost its connection lets go of every held request: each answers from a fresh read
  // (a 503 until the store is back) and each stream ends, so clients ask again rather than wait on
  // a job nobody can read.
  store.onAvailability?.((available) => {
    if (!available) ctx.closing.releaseAll();
  });
  app.decorate('jobStore', store);
  app.decorate('defaultJobId', defaultJob.id);
  app.decorateRequest('clientId', '');
  // Only JSON bodies: anything else is a 415, not a string for the schema to reject.
  app.removeContentTypeParser(['text/plain']);

  installErrorHandling(app, settings.bodyLimitBytes);
  installRequestHooks(app, ctx);
  installShutdown(app, ctx);

  if (settings.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: settings.corsOrigins.includes('*') ? '*' : settings.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
      allowedHeaders: [
        'content-type',
        'prefer',
        'if-none-match',
        'last-event-id',
        'authorization',
        'idempotency-key',
      ],
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
    registerRoutes(instance, ctx);
    done();
  });
  return app;
}
