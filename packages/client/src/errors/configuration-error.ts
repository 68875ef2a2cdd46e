import { describeValue } from '../common/describe-value.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface ConfigurationErrorFields {
  /** The option's path, e.g. `polling.maxDelayMs`, or the argument's name, e.g. `jobId`. */
  readonly option: string;
  /** The bad value. Left out (undefined) when it may be a secret, and for an unknown key. */
  readonly value: unknown;
  /** What is accepted, e.g. `a number of milliseconds in [1, 2147483647]`. */
  readonly expected: string;
  /** The option is a secret (`apiKey`, a header, credentials): its value is never shown or kept. */
  readonly secret?: boolean | undefined;
  /** `option` is not an option at all (a typo, or another casing). */
  readonly unknown?: boolean | undefined;
  /** The known option closest to an unknown one, e.g. `timeoutMs` for `timeoutMS`. */
  readonly suggestion?: string | undefined;
}

/** One bad option of a ConfigurationError: what `issues` holds. */
export type ConfigurationIssue = ConfigurationErrorFields;

/**
 * One or more options (or arguments) are unknown, missing, of the wrong type or out of range. Thrown
 * at once, before any request, and naming every bad option of the call, not only the first.
 * `option`, `value` and `expected` describe the first; `issues` lists them all.
 */
export class ConfigurationError extends TranslationStatusError {
  override readonly name = 'ConfigurationError';
  readonly option: string;
  readonly value: unknown;
  readonly expected: string;
  readonly issues: readonly ConfigurationIssue[];

  constructor(fields: ConfigurationErrorFields | readonly ConfigurationErrorFields[]) {
    const issues = [fields].flat().map(toIssue);
    const first = issues[0] ?? { option: 'options', value: undefined, expected: 'valid options' };
    const list = issues.map(describeIssue).join('; ');
    super(
      'invalid_option',
      issues.length > 1 ? `${issues.length} invalid options: ${list}` : `Invalid option ${list}`,
      {},
    );
    this.option = first.option;
    this.value = first.value;
    this.expected = first.expected;
    this.issues = issues;
  }
}

const SECRET = 'a value that is not shown (it may be a secret)';

/** A secret's value (or an unknown key's, perhaps a mistyped secret) is not kept, so not logged either. */
function toIssue(fields: ConfigurationErrorFields): ConfigurationIssue {
  return fields.secret === true || fields.unknown === true ? { ...fields, value: undefined } : fields;
}

/** `timeoutMs: got -1, expected …`, or `timeoutMS: unknown (did you mean timeoutMs?)`. */
function describeIssue(issue: ConfigurationIssue): string {
  if (issue.unknown !== true)
    return `${issue.option}: got ${issue.secret === true ? SECRET : describeValue(issue.value)}, expected ${issue.expected}`;
  const hint = issue.suggestion === undefined ? issue.expected : `did you mean ${issue.suggestion}?`;
  return `${issue.option}: unknown (${hint})`;
}
