/**
 * Logger options: JSON lines (or pino-pretty), with every secret-bearing header redacted.
 */
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { DestinationStream, Level } from 'pino';
import { levels } from 'pino';
import type { ServerSettings } from '../settings/settings.js';

/** Header names logs must never show, wherever a log line carries request headers. */
const REDACTED = ['authorization', 'cookie', '["x-api-key"]'].flatMap((name) => [
  `req.headers${name.startsWith('[') ? name : `.${name}`}`,
  `headers${name.startsWith('[') ? name : `.${name}`}`,
]);

/** Whether `log` writes lines at `level` ('silent' writes none). */
export const logs = (log: FastifyBaseLogger, level: Level): boolean =>
  (levels.values[log.level] ?? Infinity) <= (levels.values[level] ?? -Infinity);

/** Fastify's `logger` option; false at level silent, so that Fastify skips a child logger per request. */
export function loggerOptions(
  settings: ServerSettings,
  pretty: boolean,
  stream: DestinationStream | undefined,
): NonNullable<FastifyServerOptions['logger']> {
  if (settings.logLevel === 'silent') return false;
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
