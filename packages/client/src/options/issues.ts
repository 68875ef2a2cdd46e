/**
 * Gathering what is wrong with one call's options, so the caller hears about every bad option at once
 * (one ConfigurationError listing them), not one per attempt.
 */
import { closestName } from '../common/closest-name.js';
import { ConfigurationError, type ConfigurationErrorFields } from '../errors/index.js';
import { isPlainObject } from './validate.js';

export class Issues {
  /** What is wrong so far, in the order noted. */
  readonly found: ConfigurationErrorFields[] = [];

  add(fields: ConfigurationErrorFields): void {
    this.found.push(fields);
  }

  /** `fallback` after noting the issue, so the checks after this one still run. */
  reject<T>(fields: ConfigurationErrorFields, fallback: T): T {
    this.add(fields);
    return fallback;
  }

  /**
   * A plain object, `{}` for undefined, else an issue and `{}`. Every key of it not in `known` is noted,
   * with the closest known key as a suggestion. `path` is the object's own path (`''` at the top level,
   * `polling`, `retry.budget`).
   */
  object(path: string, value: unknown, known: readonly string[]): Record<string, unknown> {
    if (value === undefined) return {};
    if (!isPlainObject(value)) {
      return this.reject({ option: path || 'options', value, expected: 'an object' }, {});
    }
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      this.add({
        option: path === '' ? key : `${path}.${key}`,
        value: undefined,
        expected: `known: ${known.join(', ')}`,
        unknown: true,
        suggestion: closestName(key, known),
      });
    }
    return value;
  }
}

/** Runs `check` with a fresh Issues and throws them all at the end; otherwise returns its result. */
export function checked<T>(check: (issues: Issues) => T): T {
  const issues = new Issues();
  const result = check(issues);
  if (issues.found.length > 0) throw new ConfigurationError(issues.found);
  return result;
}
