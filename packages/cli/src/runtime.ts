/** The edges the client commands share: a client built from the flags, stderr logging, Ctrl-C. */
import { TranslationClient, type Logger, type TransportMode } from '@translation-status/client';
import type { Connection } from './args.js';
import { InterruptedError } from './exit-codes.js';
import type { CliIo } from './io.js';

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
  extra: { transport?: TransportMode; timeoutMs?: number | undefined; fetch?: typeof fetch } = {},
): TranslationClient {
  return new TranslationClient({
    baseUrl: connection.baseUrl,
    apiKey: connection.apiKey,
    logger: stderrLogger(io),
    ...(extra.transport === undefined ? {} : { transport: extra.transport }),
    ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
    ...(extra.fetch === undefined ? {} : { fetch: extra.fetch }),
  });
}

/**
 * Aborts `controller` on the first SIGINT, so the wait ends cleanly (requests closed, timers
 * cleared) and the command exits 130. Returns the function that stops listening.
 */
export function abortOnInterrupt(controller: AbortController): () => void {
  const onSignal = (): void => {
    controller.abort(new InterruptedError('SIGINT'));
  };
  process.once('SIGINT', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
  };
}

/** What the user sees for an error: its message, without a stack. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
