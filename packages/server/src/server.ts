/**
 * startServer: buildApp, then listen.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { BuildAppOptions } from './app.js';
import { buildApp } from './app.js';
import { DEFAULT_SETTINGS } from './settings/settings.js';
import type { JobStore } from './domain/store.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly store: JobStore;
  /** Stops accepting, answers held long-polls, ends event streams, then resolves. */
  close(): Promise<void>;
}

export async function startServer(options: BuildAppOptions = {}): Promise<RunningServer> {
  const app = await buildApp(options);
  const host = options.host ?? DEFAULT_SETTINGS.host;
  await app.listen({ port: options.port ?? DEFAULT_SETTINGS.port, host });
  const { port } = app.server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    app,
    store: app.jobStore,
    close: () => app.close(),
  };
}
