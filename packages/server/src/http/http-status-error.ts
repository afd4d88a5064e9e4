/**
 * @module
 * An error answered with a status the Remex error vocabulary has no class for (415, 429),
 * extra response headers (e.g. `Retry-After`) and the usual error body.
 */
import type { RemexErrorName } from '@remex/common';

/** Thrown by HTTP hooks; mapped by the error handler to `statusCode` with `headers`. */
export class HttpStatusError extends Error {
  readonly statusCode: number;
  readonly errorName: RemexErrorName;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(statusCode: number, errorName: RemexErrorName, message: string, code: string, headers: Record<string, string> = {}) {
    super(message);
    this.statusCode = statusCode;
    this.errorName = errorName;
    this.code = code;
    this.headers = headers;
  }
}
