/**
 * One JSON error shape everywhere: maps Fastify and ajv errors to ApiError, answers unknown routes
 * (404) and wrong methods (405 with Allow).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { StoreUnavailableError } from '../domain/store-errors.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import { SECURITY_HEADERS, securityHeaderLines } from './security-headers.js';
import type { SchemaError } from '../protocol/schema-errors.js';
import { formatSchemaErrors } from '../protocol/schema-errors.js';

/** Seconds a client is told to wait while the store is unreachable (it reconnects within a second). */
const STORE_RETRY_AFTER = Object.freeze({ 'retry-after': '1' });

/** Maps anything thrown in a request to the ApiError to answer. */
export function toApiError(error: unknown, contentType: string | undefined, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error;
  // Not logged per request (no cause): the store reports the outage once, when it begins.
  if (error instanceof StoreUnavailableError) {
    return new ApiError(ErrorCode.Unavailable, 'the job store cannot be reached', STORE_RETRY_AFTER);
  }
  const e = error as Partial<FastifyError> & { validation?: SchemaError[]; validationContext?: string };
  if (Array.isArray(e.validation)) {
    return new ApiError(
      ErrorCode.InvalidRequest,
      formatSchemaErrors(e.validation, e.validationContext ?? 'request'),
    );
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(ErrorCode.PayloadTooLarge, String(bodyLimit), {}, { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(ErrorCode.UnsupportedMediaType, contentType ?? '(none)', {}, { cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(
        ErrorCode.InvalidRequest,
        'the body is empty; send a JSON object',
        {},
        { cause: error },
      );
  }
  if (e.statusCode === 400 || error instanceof SyntaxError) {
    const detail =
      e.message?.includes('JSON') === true ? 'the body is not valid JSON' : 'the request is malformed';
    return new ApiError(ErrorCode.InvalidRequest, detail, {}, { cause: error });
  }
  if (e.statusCode === 413) return new ApiError(ErrorCode.PayloadTooLarge, String(bodyLimit));
  if (e.statusCode === 415) return new ApiError(ErrorCode.UnsupportedMediaType, contentType ?? '(none)');
  return new ApiError(ErrorCode.InternalError, '', {}, { cause: error });
}

/** Turns a route pattern (`/jobs/:id`) into a matcher for the 405 check. */
function patternToRegExp(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) =>
      part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  const routes: { matcher: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    // `OPTIONS *` (the CORS preflight route) matches every path; it is no sign that a path exists.
    if (route.url === '*' || route.url === '/*') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let entry = routes.find((r) => r.matcher.source === patternToRegExp(route.url).source);
    if (entry === undefined) {
      entry = { matcher: patternToRegExp(route.url), methods: new Set() };
      routes.push(entry);
    }
    for (const m of methods) entry.methods.add(m.toUpperCase());
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error, request.headers['content-type'], bodyLimit);
    if (apiError.status >= 500 && apiError.cause !== undefined) {
      request.log.error({ err: apiError.cause }, 'request failed');
    }
    return reply.code(apiError.status).headers(apiError.headers).send(apiError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const matching = routes.filter((r) => r.matcher.test(path));
    if (matching.length === 0) {
      const error = new ApiError(ErrorCode.RouteNotFound, `No route matches ${request.method} ${path}`);
      return reply.code(error.status).send(error.toBody());
    }
    const allow = [...new Set(matching.flatMap((r) => [...r.methods]))].sort().join(', ');
    const error = new ApiError(ErrorCode.MethodNotAllowed, `${request.method} is not allowed on ${path}`, {
      allow,
    });
    return reply.code(error.status).headers(error.headers).send(error.toBody());
  });
}

/**
 * Errors Fastify meets before any route or hook runs (a path with broken percent-encoding, an id over
 * `maxParamLength`), answered in the one JSON shape.
 */
export function frameworkErrorHandler(maxSegment: number) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const apiError =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new ApiError(ErrorCode.UriTooLong, `A path segment is longer than ${maxSegment} characters`)
        : error.code === 'FST_ERR_BAD_URL'
          ? new ApiError(ErrorCode.InvalidRequest, 'the URL path is not valid percent-encoded text')
          : new ApiError(ErrorCode.InvalidRequest, 'the request could not be routed');
    void reply
      .code(apiError.status)
      .headers({ ...SECURITY_HEADERS, 'cache-control': 'no-store', ...apiError.headers })
      .send(apiError.toBody());
  };
}

/**
 * Requests Node's HTTP parser refuses (headers over `maxHeaderSize`, garbage on the wire, a request too
 * slow to arrive): answered on the raw socket in the JSON shape, then the socket is closed.
 */
export function socketErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const apiError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError(ErrorCode.HeadersTooLarge)
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError(ErrorCode.RequestTimeout)
        : new ApiError(ErrorCode.InvalidRequest, 'the bytes sent are not a valid HTTP/1.1 request');
  const status = apiError.status;
  const body = JSON.stringify(apiError.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `cache-control: no-store\r\nconnection: close\r\n${securityHeaderLines()}\r\n${body}`,
    );
  }
  socket.destroy();
}
