import { TranslationStatusError } from './translation-status-error.js';

export interface ConfigurationErrorFields {
  /** The option's path, e.g. `polling.maxDelayMs`. */
  readonly option: string;
  readonly value: unknown;
  /** What is accepted, e.g. `a number of milliseconds in [1, 2147483647]`. */
  readonly expected: string;
}

/** An option is missing, of the wrong type or out of range. Thrown at once, before any request. */
export class ConfigurationError extends TranslationStatusError {
  readonly option: string;
  readonly value: unknown;
  readonly expected: string;

  constructor(fields: ConfigurationErrorFields) {
    super(
      'invalid_option',
      `Invalid option ${fields.option}: got ${describeValue(fields.value)}`,
      {},
      `Expected ${fields.expected}.`,
    );
    this.option = fields.option;
    this.value = fields.value;
    this.expected = fields.expected;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
