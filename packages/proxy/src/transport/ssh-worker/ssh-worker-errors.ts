/**
 * @module
 * Errors across the thread boundary: a transport error keeps its message and code, anything
 * else its message.
 */
import { coerceError } from '@remex/common';

import { TransportError, type TransportErrorCode } from '../transport-errors.ts';
import type { WireError } from './ssh-worker-protocol.ts';

const CODES: ReadonlySet<string> = new Set<TransportErrorCode>([
  'connect_failed',
  'connect_timeout',
  'auth_failed',
  'host_key_mismatch',
  'connection_lost',
  'aborted',
]);

/** The wire form of `error`. */
export function toWire(error: unknown): WireError {
  if (error instanceof TransportError) return { message: error.message, code: error.code };
  return { message: coerceError(error).message };
}

/** The error a wire error stands for: a {@link TransportError} when it carries a transport code. */
export function fromWire(error: WireError): Error {
  if (error.code !== undefined && CODES.has(error.code)) return new TransportError(error.message, error.code);
  return new Error(error.message);
}
