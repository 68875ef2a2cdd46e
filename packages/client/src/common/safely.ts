import type { Logger } from './logger.js';

/** Runs a caller's callback; a throw is logged and never breaks the wait that called it. */
export function callSafely(logger: Logger, name: string, jobId: string | undefined, call: () => void): void {
  try {
    call();
  } catch (error) {
    logger.warn({ jobId, callback: name, err: error }, `the ${name} callback threw`);
  }
}
