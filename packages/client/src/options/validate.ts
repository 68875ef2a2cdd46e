/** Shape tests shared by the option and argument checks. */
export { isRecord as isPlainObject } from '../protocol/status.js';

/** A test for an object with a method of each name: a logger, a clock, a signal, a webhook receiver. */
export const withMethods =
  (...names: readonly string[]) =>
  (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
