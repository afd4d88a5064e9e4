/**
 * @module
 * Turns what the system `ssh` logged while opening a master connection into a
 * {@link TransportError} worded like the ssh2 transport's (same codes, same message openings), so
 * that a host's failure reads the same whichever transport ran it.
 */
import { createHash } from 'node:crypto';

import type { KnownHostKey } from '../host-key-store.ts';
import { TransportError } from '../transport-errors.ts';
import type { TransportTarget } from '../transport.ts';

/** `ssh: connect to host … port …: <reason>` reasons and the errno names ssh2 would show. */
const CONNECT_REASONS: readonly [RegExp, string][] = [
  [/Connection refused/i, 'ECONNREFUSED'],
  [/Network is unreachable/i, 'ENETUNREACH'],
  [/No route to host/i, 'EHOSTUNREACH'],
  [/Connection reset/i, 'ECONNRESET'],
  [/Could not resolve hostname|Name or service not known|Temporary failure in name resolution/i, 'ENOTFOUND'],
];

/** OpenSSH-style `SHA256:` fingerprint of a base64 key blob. */
export function keyFingerprint(base64Key: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Maps the log of a failed master connection to a user-facing error.
 * @param log - ssh's own messages (`-E`), not the remote's output
 * @param target - the host we tried
 * @param authMethods - the methods offered, for the authentication failure message
 * @param trusted - the host key trusted for the host when the attempt started
 * @param timeoutSeconds - the configured connect timeout
 */
export function opensshConnectError(
  log: string,
  target: TransportTarget,
  authMethods: readonly string[],
  trusted: KnownHostKey | undefined,
  timeoutSeconds: number,
): TransportError {
  const where = `${target.address}:${target.port}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/i.test(log)) {
    const presented = /fingerprint for the (\S+) key sent by the remote host is\s*\n?\s*(SHA256:[A-Za-z0-9+/]+)/i.exec(log);
    const what = presented ? `the ${presented[1] ?? ''} key ${presented[2] ?? ''}` : 'a different key';
    const known = trusted ? `${trusted.algorithm} key ${keyFingerprint(trusted.key)}` : 'another key';
    return new TransportError(
      `Host key verification failed for ${target.hostName} ([${target.address}]:${target.port}): it presented ${what}, but ${known} ` +
        `was trusted on first use. If the host was legitimately re-keyed, remove its stored key from the proxy.`,
      'host_key_mismatch',
    );
  }
  if (/Permission denied \(|Too many authentication failures|No more authentication methods/i.test(log)) {
    return new TransportError(
      `Authentication failed for user ${target.user} on host ${target.hostName} (${where}); tried: ${authMethods.join(', ')}`,
      'auth_failed',
    );
  }
  if (/Connection timed out|timed out/i.test(log)) {
    return new TransportError(`Failed to connect to ${where}: timed out after ${timeoutSeconds} s waiting for the SSH handshake`, 'connect_timeout');
  }
  for (const [pattern, code] of CONNECT_REASONS) {
    if (pattern.test(log)) return new TransportError(`Failed to connect to ${where}: connect ${code}`, 'connect_failed');
  }
  const last = lastLine(log);
  return new TransportError(`SSH connection to ${where} failed: ${last || 'ssh ended without saying why'}`, 'connect_failed');
}

/** The last non-empty line of `text`, trimmed. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? '';
}
