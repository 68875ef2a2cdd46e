import type { ErrorContext } from './context.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface ProtocolErrorFields extends ErrorContext {
  readonly url?: string | undefined;
  /** What is wrong with the answer, e.g. "unknown result 'foo'". */
  readonly problem: string;
  /** The start of the offending body. */
  readonly body?: string | undefined;
}

/** The server answered, but not in the protocol: not JSON, no known `result`, a malformed event. */
export class ProtocolError extends TranslationStatusError {
  override readonly name = 'ProtocolError';
  declare readonly url: string | undefined;
  declare readonly problem: string;
  declare readonly body: string | undefined;

  constructor(fields: ProtocolErrorFields) {
    super(
      'protocol_error',
      `The answer${fields.url === undefined ? '' : ` from ${fields.url}`} does not follow the status protocol: ${fields.problem}`,
      fields,
      'Check that the baseUrl option points at a translation-status server.',
    );
  }
}
