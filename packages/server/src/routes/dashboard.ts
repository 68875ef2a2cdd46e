/**
 * GET / and GET /dashboard: the live dashboard page; GET /dashboard/assets/<version>/*: its scripts,
 * styles and the client library's ESM. Registered only when the dashboard is on (`--no-dashboard` leaves
 * GET / a 404 like any unknown route). All three are open without an API key: they hold no data, and
 * the page asks for the key itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import {
  type Asset,
  dashboardAssets,
  DashboardMissingError,
  type DashboardAssets,
} from '../http/dashboard-assets.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';

/** A build's assets never change under their versioned path. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

async function assetsOrExplain(app: FastifyInstance): Promise<DashboardAssets> {
  try {
    return await dashboardAssets();
  } catch (error) {
    if (!(error instanceof DashboardMissingError)) throw error;
    app.log.warn({ reason: error.message }, 'dashboard unavailable');
    throw new ApiError(ErrorCode.RouteNotFound, error.message, {}, { cause: error });
  }
}

/** Sends `asset`, or 304 when the browser already holds this exact version. */
function send(
  request: FastifyRequest,
  reply: FastifyReply,
  asset: Asset,
  cacheControl: string,
): FastifyReply {
  reply.header('cache-control', cacheControl).header('etag', asset.etag);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.type(asset.contentType).send(asset.body);
}

export function dashboardRoutes(app: FastifyInstance, ctx: AppContext): void {
  if (!ctx.settings.dashboard) return;
  /** The page's policy, known once its assets are read. */
  let pagePolicy: string | undefined;
  const page = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const assets = await assetsOrExplain(app);
    pagePolicy = assets.contentSecurityPolicy;
    // Revalidated on every load, so a new build's asset paths are picked up at once.
    return send(request, reply, assets.page, 'no-cache');
  };
  const pageOptions = {
    schema: { summary: 'The live dashboard (HTML)', hide: true },
    // A route's onSend runs after the app's, which set the API's `default-src 'none'`: a page
    // answer (not an error) gets the page's own policy instead.
    onSend: (
      _request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: (error: null, payload: unknown) => void,
    ): void => {
      if (pagePolicy !== undefined && reply.statusCode < 400) {
        reply.header('content-security-policy', pagePolicy);
      }
      done(null, payload);
    },
  };
  app.get('/', pageOptions, page);
  app.get('/dashboard', pageOptions, page);

  app.get<{ Params: { version: string; '*': string } }>(
    '/dashboard/assets/:version/*',
    { schema: { hide: true } },
    async (request, reply) => {
      const assets = await assetsOrExplain(app);
      const asset =
        `/dashboard/assets/${request.params.version}` === assets.assetsPath
          ? assets.files.get(request.params['*'])
          : undefined;
      if (asset === undefined) {
        throw new ApiError(
          ErrorCode.RouteNotFound,
          `No dashboard file ${request.url} in this build; reload the page`,
        );
      }
      return send(request, reply, asset, IMMUTABLE);
    },
  );
}
