/** The edges the client commands share: a client built from the flags, stderr logging, signals. */
import { TranslationClient, type Logger, type TransportMode } from '@translation-status/client';
import type { Connection } from '../commands/shared-flags.js';
import type { CliIo } from '../output/io.js';
import { InterruptedError } from './exit-codes.js';

/** Warnings and errors from the client go to stderr, so stdout stays clean for the job and JSON. */
export function stderrLogger(io: CliIo): Logger {
  const write =
    (level: string) =>
    (fields: object, message?: string): void => {
      io.stderr.write(`${level}: ${message ?? ''} ${JSON.stringify(fields)}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warning'), error: write('error') };
}

export function clientFor(
  connection: Connection,
  io: CliIo,
  extra: { transport?: TransportMode; timeoutMs?: number | undefined } = {},
): TranslationClient {
  return new TranslationClient({
    baseUrl: connection.baseUrl,
    apiKey: connection.apiKey,
    logger: stderrLogger(io),
    ...(extra.transport === undefined ? {} : { transport: extra.transport }),
    ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
  });
}

/**
 * Aborts `controller` on the first SIGINT or SIGTERM, so the wait ends cleanly (requests closed,
 * timers cleared) and the command exits 130 or 143. Returns the function that stops listening.
 */
export function abortOnSignals(controller: AbortController): () => void {
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    controller.abort(new InterruptedError(signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
