/**
 * @module
 * The secrets of personal access tokens and browser sessions: 256 random bits each, stored only
 * as their SHA-256 (a preimage of a random 256-bit value cannot be guessed, so a fast hash is
 * enough and a lookup by hash stays cheap), compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of personal access tokens (recognisable in a Basic password, in logs and by secret scanners). */
export const TOKEN_PREFIX = 'remex_pat_';

/** A new random secret (43 URL-safe characters), with `prefix` in front. */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a secret: hex SHA-256. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether two strings are equal, in time that depends only on their length. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
