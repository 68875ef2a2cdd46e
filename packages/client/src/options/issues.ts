/**
 * Gathering what is wrong with one call's options, so the caller hears about every bad option at once
 * (one ConfigurationError listing them), not one per attempt.
 */
import { closestName } from '../common/closest-name.js';
import { ConfigurationError, type ConfigurationErrorFields } from '../errors/index.js';
import { isPlainObject } from './validate.js';

/** What is wrong so far, in the order noted. */
export type Issues = ConfigurationErrorFields[];

/**
 * A plain object, `{}` for undefined, else an issue and `{}`. Every key of it not in `known` is noted,
 * with the closest known key as a suggestion. `path` is the object's own path (`''` at the top level,
 * `polling`, `retry.budget`).
 */
export function knownObject(
  issues: Issues,
  path: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.push({ option: path || 'options', value, expected: 'an object' });
    return {};
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    issues.push({
      option: path === '' ? key : `${path}.${key}`,
      value: undefined,
      expected: `known: ${known.join(', ')}`,
      unknown: true,
      suggestion: closestName(key, known),
    });
  }
  return value;
}

/** Runs `check` with no issues yet and throws them all at the end; otherwise returns its result. */
export function checked<T>(check: (issues: Issues) => T): T {
  const issues: Issues = [];
  const result = check(issues);
  if (issues.length > 0) throw new ConfigurationError(issues);
  return result;
}
