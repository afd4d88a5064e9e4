/**
 * @module
 * Turns ssh2 and socket errors into {@link TransportError}s whose messages name the host and say
 * what went wrong, e.g. "Failed to connect to 127.0.9.1:2222: connect ECONNREFUSED".
 */
import { coerceError } from '@remex/common';

import { TransportError } from '../transport-errors.ts';
import type { TransportTarget } from '../transport.ts';

/**
 * Maps a connect-time error of ssh2 to a user-facing {@link TransportError}.
 * @param error - what ssh2 emitted
 * @param target - the host we tried
 * @param authMethods - the methods that were offered (for the auth failure message)
 * @param timeoutSeconds - the configured connect timeout
 */
export function sshConnectError(
  error: unknown,
  target: TransportTarget,
  authMethods: readonly string[],
  timeoutSeconds: number,
): TransportError {
  const err = coerceError(error) as Error & { level?: string; code?: string; syscall?: string };
  const where = `${target.address}:${target.port}`;
  if (err.level === 'client-authentication') {
    return new TransportError(
      `Authentication failed for user ${target.user} on host ${target.hostName} (${where}); tried: ${authMethods.join(', ')}`,
      'auth_failed',
      err,
    );
  }
  if (err.level === 'client-timeout') {
    return new TransportError(
      `Failed to connect to ${where}: timed out after ${timeoutSeconds} s waiting for the SSH handshake`,
      'connect_timeout',
      err,
    );
  }
  if (typeof err.code === 'string' && err.syscall) {
    return new TransportError(`Failed to connect to ${where}: ${err.syscall} ${err.code}`, 'connect_failed', err);
  }
  if (err.level === 'client-socket') {
    return new TransportError(`Failed to connect to ${where}: ${err.message}`, 'connect_failed', err);
  }
  return new TransportError(`SSH connection to ${where} failed: ${err.message}`, 'connect_failed', err);
}
