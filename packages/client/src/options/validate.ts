/** Shape tests shared by the option and argument checks. */
import type { Logger } from '../common/logger.js';

export { isRecord as isPlainObject } from '../protocol/status.js';

export function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((level) => typeof v[level] === 'function');
}

export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    'aborted' in value &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function'
  );
}
