/**
 * Every error the HTTP API can answer: a stable code, its status and one message template.
 * Routes throw `ApiError`; the error handler renders `{"error": {"code", "message"}}`.
 */

export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  Unauthorized: 'unauthorized',
  JobNotFound: 'job_not_found',
  JobFinished: 'job_finished',
  IdempotencyInProgress: 'idempotency_in_progress',
  IdempotencyConflict: 'idempotency_conflict',
  RouteNotFound: 'route_not_found',
  MethodNotAllowed: 'method_not_allowed',
  PayloadTooLarge: 'payload_too_large',
  RequestTimeout: 'request_timeout',
  UriTooLong: 'uri_too_long',
  HeadersTooLarge: 'headers_too_large',
  UnsupportedMediaType: 'unsupported_media_type',
  RateLimited: 'rate_limited',
  InternalError: 'internal_error',
  Unavailable: 'unavailable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Echoed input is cut short: an error message must not become an amplifier. */
function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

interface ErrorSpec {
  readonly status: number;
  /** Builds the message from the one detail each code needs. */
  readonly message: (detail: string) => string;
}

export const ERROR_SPECS: Readonly<Record<ErrorCode, ErrorSpec>> = {
  invalid_request: { status: 400, message: (why) => `The request is invalid: ${why}.` },
  unauthorized: {
    status: 401,
    message: (why) => `${why}; send a valid key as 'Authorization: Bearer <key>' (or 'X-API-Key: <key>').`,
  },
  job_not_found: {
    status: 404,
    message: (id) => `No job has the id '${shorten(id)}'. Create one with POST /jobs.`,
  },
  job_finished: {
    status: 409,
    message: (what) => `${what}; only a pending job can be canceled, and a finished one stays as it ended.`,
  },
  idempotency_in_progress: {
    status: 409,
    message: (key) =>
      `A create with Idempotency-Key '${shorten(key)}' is still in progress; retry after the number of seconds in Retry-After to get its job.`,
  },
  idempotency_conflict: {
    status: 422,
    message: (key) =>
      `The Idempotency-Key '${shorten(key)}' was already used with a different request body; send the same body to get that job, or a new key to create another.`,
  },
  route_not_found: {
    status: 404,
    message: (what) => `${shorten(what)}. The routes are listed in GET /openapi.json.`,
  },
  method_not_allowed: { status: 405, message: (what) => `${shorten(what)}. See the Allow header.` },
  payload_too_large: {
    status: 413,
    message: (limit) => `The body is larger than the limit of ${limit} bytes.`,
  },
  request_timeout: {
    status: 408,
    message: () => 'The request did not arrive in time; send it again.',
  },
  uri_too_long: {
    status: 414,
    message: (what) => `${what}; send a shorter one (fewer ids per batch, for example).`,
  },
  headers_too_large: {
    status: 431,
    message: () => 'The request headers are larger than the server accepts; send fewer or shorter headers.',
  },
  unsupported_media_type: {
    status: 415,
    message: (type) => `The body must be application/json, not '${shorten(type)}'.`,
  },
  rate_limited: {
    status: 429,
    message: (why) => `${why}; retry after the number of seconds in Retry-After.`,
  },
  internal_error: {
    status: 500,
    message: () => 'The server failed unexpectedly; the failure has been logged. Retry later.',
  },
  unavailable: {
    status: 503,
    message: (why) =>
      `The service is unavailable (${why}); retry after the number of seconds in Retry-After.`,
  },
};

/** An error that becomes an HTTP answer. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, detail = '', headers: Record<string, string> = {}, options?: ErrorOptions) {
    super(ERROR_SPECS[code].message(detail), options);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_SPECS[code].status;
    this.headers = headers;
  }

  /** The body every error answer has. */
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
