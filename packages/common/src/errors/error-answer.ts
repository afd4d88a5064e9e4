/**
 * @module
 * The one mapping from a thrown value to an HTTP error answer, shared by the server's and the
 * proxy's error handlers (each only adds its own headers and logging). Framework errors are read
 * by shape (`statusCode`, `code`, `validation`, as Fastify sets them), so common does not depend
 * on any HTTP framework.
 */
import type { ErrorResponseBody, RemexErrorName } from './errors.ts';
import { httpStatusOf, isRemexError } from './errors.ts';

/** What an HTTP edge answers for an error, and whether it must log it (a 5xx). */
export interface ErrorAnswer {
  status: number;
  body: ErrorResponseBody;
  log: boolean;
}

/** Code of a request that fails its route's schema (HTTP 422). */
export const VALIDATION_FAILED = 'validation_failed';

/** Builds the error body. */
export function errorBody(name: RemexErrorName, message: string, statusCode: number, code?: string): ErrorResponseBody {
  return { error: { name, message, ...(code === undefined || code === '' ? {} : { code }) }, response: { statusCode } };
}

/** The fields of a framework (Fastify) error this mapping reads. */
interface FrameworkErrorShape {
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
  validation?: unknown;
}

/**
 * Maps `thrown` to its answer: a Remex error by its class; a schema violation as a 422
 * `InputError` ({@link VALIDATION_FAILED}); a framework 4xx (unparsable JSON, body too large, …) as
 * an `InputError` with that status; anything else as a 500 `InternalError` whose message is
 * `internalMessage` (no details leak; `log` is true).
 */
export function errorAnswer(thrown: unknown, internalMessage = 'Internal server error'): ErrorAnswer {
  if (isRemexError(thrown)) {
    const name = thrown.name as RemexErrorName;
    const status = httpStatusOf[name] ?? 500;
    return { status, body: errorBody(name, thrown.message, status, thrown.code), log: status >= 500 };
  }
  const error = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as FrameworkErrorShape;
  const message = typeof error.message === 'string' ? error.message : String(thrown);
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (error.validation) {
    return { status: 422, body: errorBody('InputError', `Invalid request: ${message}`, 422, VALIDATION_FAILED), log: false };
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    const shown = code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(message) ? `Malformed JSON in request body: ${message}` : message;
    return { status: error.statusCode, body: errorBody('InputError', shown, error.statusCode, code), log: false };
  }
  return { status: 500, body: errorBody('InternalError', internalMessage, 500), log: true };
}

/** The 404 answer for a request no route matches (the query string is not echoed). */
export function routeNotFoundAnswer(method: string, url: string): ErrorAnswer {
  return { status: 404, body: errorBody('NotFoundError', `Route ${method} ${url.split('?')[0] ?? ''} not found`, 404), log: false };
}
