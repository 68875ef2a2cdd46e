import type { ErrorContext } from './context.js';
import { TranslationStatusError } from './translation-status-error.js';

export interface HttpErrorFields extends ErrorContext {
  readonly url: string;
  /** The HTTP status code. */
  readonly status: number;
  /** `error.code` from the server's body, when it sent one. */
  readonly serverCode?: string | undefined;
  readonly serverMessage?: string | undefined;
}

/** The server answered with a status outside 2xx. */
export class HttpError extends TranslationStatusError {
  override readonly name = 'HttpError';
  declare readonly url: string;
  declare readonly status: number;
  declare readonly serverCode: string | undefined;
  declare readonly serverMessage: string | undefined;

  constructor(fields: HttpErrorFields) {
    // "HTTP 404: job_not_found: no such job", without the parts the server left out.
    const answer = [fields.status, fields.serverCode, fields.serverMessage].filter(
      (part) => part !== undefined,
    );
    super(
      'http_error',
      `The server answered HTTP ${answer.join(': ')} to ${fields.url}`,
      fields,
      adviceFor(fields.status),
    );
  }
}

function adviceFor(status: number): string | undefined {
  if (status === 401 || status === 403) return 'Check the apiKey option.';
  if (status === 404) return 'Check the job id and the baseUrl option.';
  if (status === 429 || status >= 500) return 'The server is overloaded or failing: try again later.';
  return undefined;
}
