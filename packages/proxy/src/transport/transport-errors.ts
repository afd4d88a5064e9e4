/**
 * @module
 * The one error class transports reject with. Its message is written for the user: it ends up
 * as the `debug` line before the task's `EXCEPTION` exit.
 */
import { InternalError } from '@remex/common';

import type { TransportTarget } from './transport.ts';

/** Why a transport failed. */
export type TransportErrorCode =
  | 'connect_failed'
  | 'connect_timeout'
  | 'auth_failed'
  | 'host_key_mismatch'
  | 'connection_lost'
  | 'aborted';

/** A connection or channel failure on one host. */
export class TransportError extends InternalError {
  override readonly code: TransportErrorCode;
  constructor(message: string, code: TransportErrorCode, cause?: unknown) {
    super(message, { code, cause });
    this.code = code;
  }
}

/** The error of a connect given up because its signal was aborted (or the transport closed). */
export function connectAborted(target: Pick<TransportTarget, 'address' | 'port'>): TransportError {
  return new TransportError(`Connecting to ${target.address}:${target.port} was aborted`, 'aborted');
}
