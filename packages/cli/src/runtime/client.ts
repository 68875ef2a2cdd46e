/** The edges the client commands share: a client built from the flags, stderr logging, signals. */
import {
  TranslationClient,
  type Logger,
  type ProtocolChoice,
  type TransportMode,
} from '@translation-status/client';
import { heygenV2, heygenV3 } from '@translation-status/client/heygen';
import type { CliProtocol, Connection } from '../commands/shared-flags.js';
import type { CliIo } from '../output/io.js';
import { InterruptedError } from './cli-errors.js';

/** Where notices go: stderr, through a live board when one is drawn. */
export type Notice = (text: string) => void;

/**
 * Warnings and errors from the client become notices on stderr, so stdout stays clean for the job and
 * JSON. Debug and info are left out: retries are reported by the commands, in words.
 */
export function noticeLogger(notice: Notice): Logger {
  const write =
    (level: string) =>
    (fields: object, message?: string): void => {
      notice(`${level}: ${message ?? ''} ${JSON.stringify(fields)}`);
    };
  const quiet = (): void => undefined;
  return { debug: quiet, info: quiet, warn: write('warning'), error: write('error') };
}

/** Notices straight to stderr, for commands without a board: `translation-status status: …`. */
export function stderrNotice(io: CliIo, name: string): Notice {
  return (text) => io.stderr.write(`translation-status ${name}: ${text}\n`);
}

/** `--protocol`'s name as the client's option: HeyGen's are adapter objects (the library takes no name). */
const ADAPTERS: Readonly<Record<CliProtocol, ProtocolChoice>> = {
  'translation-status': 'translation-status',
  classic: 'classic',
  'heygen-v2': heygenV2,
  'heygen-v3': heygenV3,
};

export function clientFor(
  connection: Connection,
  notice: Notice,
  extra: { transport?: TransportMode; timeoutMs?: number | undefined } = {},
): TranslationClient<ProtocolChoice> {
  return new TranslationClient<ProtocolChoice>({
    baseUrl: connection.baseUrl,
    protocol: ADAPTERS[connection.protocol],
    apiKey: connection.apiKey,
    logger: noticeLogger(notice),
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
