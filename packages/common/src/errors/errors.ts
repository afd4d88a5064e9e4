/**
 * @module
 * The closed error vocabulary of Remex. Every edge maps these once: the server's `onError`
 * to HTTP statuses, the CLI's top-level catch to exit codes.
 */

/** Options accepted by every Remex error. */
export interface RemexErrorOptions {
  /** The underlying error, kept for logs (never serialised to clients). */
  cause?: unknown;
  /** Machine-readable string code, e.g. `required_input_missing`. */
  code?: string;
}

/** Base class of all Remex errors; not thrown directly. */
export abstract class RemexError extends Error {
  /** Machine-readable code (string, stable across releases). */
  readonly code: string | undefined;
  constructor(message: string, options: RemexErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/** The request is malformed or semantically invalid (HTTP 422, or 400 for unparsable bodies). */
export class InputError extends RemexError {
  override readonly name = 'InputError';
}

/** A referenced record does not exist (HTTP 404). */
export class NotFoundError extends RemexError {
  override readonly name = 'NotFoundError';
}

/** The request conflicts with the current state, e.g. a duplicate name (HTTP 409 / 422). */
export class ConflictError extends RemexError {
  override readonly name = 'ConflictError';
}

/** The caller is authenticated but not allowed to do this (HTTP 403). */
export class NotAllowedError extends RemexError {
  override readonly name = 'NotAllowedError';
}

/** The caller is not authenticated (HTTP 401). */
export class AuthenticationError extends RemexError {
  override readonly name = 'AuthenticationError';
}

/** A dependency (database, proxy, remote host) failed or answered badly (HTTP 502/500). */
export class InternalError extends RemexError {
  override readonly name = 'InternalError';
}

/** Names of the error classes, as they travel in {@link ErrorResponseBody}. */
export type RemexErrorName =
  | 'InputError'
  | 'NotFoundError'
  | 'ConflictError'
  | 'NotAllowedError'
  | 'AuthenticationError'
  | 'InternalError';

/**
 * The one JSON error body of the API. Foreman clients read `error.message`; the other fields
 * are ours.
 */
export interface ErrorResponseBody {
  error: { name: string; message: string; code?: string };
  response: { statusCode: number };
}

/** HTTP status for each error class. */
export const httpStatusOf: Record<RemexErrorName, number> = {
  InputError: 422,
  NotFoundError: 404,
  ConflictError: 422,
  NotAllowedError: 403,
  AuthenticationError: 401,
  InternalError: 500,
};

/**
 * Normalises anything thrown into an `Error` (graphile-worker's `coerceError`).
 * @param value - whatever reached a `catch (e: unknown)`
 */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(value)}`);
  } catch {
    return new Error('Non-error thrown');
  }
}

/** True when `value` is one of the Remex error classes. */
export function isRemexError(value: unknown): value is RemexError {
  return value instanceof RemexError;
}

/**
 * Rebuilds a Remex error from an {@link ErrorResponseBody} received over HTTP (used by the
 * CLI and the proxy client), so one catch can handle local and remote errors alike.
 */
export function errorFromBody(body: unknown, statusCode: number): RemexError {
  const err = (body as Partial<ErrorResponseBody> | undefined)?.error;
  const message =
    typeof err?.message === 'string' ? err.message : `HTTP ${statusCode}${typeof body === 'string' && body ? `: ${body}` : ''}`;
  const options = { code: typeof err?.code === 'string' ? err.code : undefined };
  switch (err?.name) {
    case 'InputError':
      return new InputError(message, options);
    case 'NotFoundError':
      return new NotFoundError(message, options);
    case 'ConflictError':
      return new ConflictError(message, options);
    case 'NotAllowedError':
      return new NotAllowedError(message, options);
    case 'AuthenticationError':
      return new AuthenticationError(message, options);
    default:
      if (statusCode === 401) return new AuthenticationError(message, options);
      if (statusCode === 403) return new NotAllowedError(message, options);
      if (statusCode === 404) return new NotFoundError(message, options);
      if (statusCode >= 400 && statusCode < 500) return new InputError(message, options);
      return new InternalError(message, options);
  }
}
