/**
 * Structured, leveled logging with secrets removed. Any logger with pino's `(fields, message)` shape
 * fits, `console` included. Logging never breaks a wait: a throwing logger is ignored.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogMethod = (fields: object, message?: string) => void;

export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** The levels a Logger has a method for, lowest first. */
export const LOG_METHODS = ['debug', 'info', 'warn', 'error'] as const;
export const LOG_LEVELS: readonly LogLevel[] = [...LOG_METHODS, 'silent'];

/** Field names whose values are always hidden, whatever they hold (compared lower-cased, no `-`/`_`). */
const SECRET_FIELD = /^(?:authorization|x?apikey|password|token|secret|cookie)$/;

export const REDACTED = '[redacted]';

function redactText(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.replaceAll(secret, REDACTED), text);
}

/** A copy of `value` with secret fields and secret substrings hidden; cycles and depth are bounded. */
export function redact(
  value: unknown,
  secrets: readonly string[],
  depth = 0,
  seen: WeakSet<object> = new WeakSet(),
): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const error: Record<string, unknown> = { name: value.name, message: redactText(value.message, secrets) };
    if ('code' in value) error['code'] = value.code;
    if (value.cause !== undefined) error['cause'] = redact(value.cause, secrets, depth + 1, seen);
    return error;
  }
  // An array stays one: its keys are its indexes.
  const out = (Array.isArray(value) ? [] : {}) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key.toLowerCase().replace(/[-_]/g, ''))
      ? REDACTED
      : redact(item, secrets, depth + 1, seen);
  }
  return out;
}

/**
 * Wraps `logger` (default: the console) so that it only receives entries at `level` or above, with
 * every secret hidden, and so that it can never throw into the caller.
 */
export function createLogger(
  logger: Logger | undefined,
  level: LogLevel,
  secrets: readonly string[],
): Logger {
  const hidden = secrets.filter((secret) => secret.length > 0);
  const method =
    (name: (typeof LOG_METHODS)[number]): LogMethod =>
    (fields, message) => {
      if (LOG_LEVELS.indexOf(name) < LOG_LEVELS.indexOf(level)) return;
      try {
        const safeFields = redact(fields, hidden) as object;
        const safeMessage = message === undefined ? undefined : redactText(message, hidden);
        if (logger === undefined)
          console[name](safeMessage ?? '', safeFields); // the console: message first
        else if (safeMessage === undefined) logger[name](safeFields);
        else logger[name](safeFields, safeMessage);
      } catch {
        // A broken logger must not turn a working wait into a failed one.
      }
    };
  return Object.fromEntries(LOG_METHODS.map((name) => [name, method(name)])) as unknown as Logger;
}
