/**
 * Every route of the API, registered in this order. A new route is a module exporting
 * `(app, ctx) => void` and one entry here.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { batchRoutes } from './batch.js';
import { cancelRoutes } from './cancel.js';
import { createRoutes } from './create.js';
import { dashboardRoutes } from './dashboard.js';
import { deliveryRoutes } from './deliveries.js';
import { eventRoutes } from './events.js';
import { heygenRoutes } from './heygen.js';
import { multiEventRoutes } from './multi-events.js';
import { opsRoutes } from './ops.js';
import { statusRoutes } from './status.js';

export type RouteModule = (app: FastifyInstance, ctx: AppContext) => void;

const ROUTES: readonly RouteModule[] = [
  statusRoutes,
  createRoutes,
  cancelRoutes,
  batchRoutes,
  eventRoutes,
  multiEventRoutes,
  deliveryRoutes,
  heygenRoutes,
  opsRoutes,
  dashboardRoutes,
];

export function registerRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const add of ROUTES) add(app, ctx);
}
