/**
 * @module
 * Per-proxy credentials and the signatures made with them (ADR 0007). A credential is a key id
 * and a 256-bit secret shared by the server and ONE proxy; the secret never crosses the wire.
 * Every request between them (both ways), and the proxy's answers to the server, carry an HMAC-SHA256
 * over a direction label, method, path, timestamp, nonce and the SHA-256 of the raw body:
 *
 *     Authorization: Remex-HMAC key="<key id>", ts="<unix s>", nonce="<32 hex>", sig="<64 hex>"
 *
 * A response signature ({@link RESPONSE_SIGNATURE_HEADER}) repeats the request's nonce, so it
 * proves that whoever answered holds the credential and saw that request. Web Crypto only, so
 * `common` stays isomorphic.
 */
import { AuthenticationError, InputError } from '../errors/index.ts';

/** Scheme name of the `Authorization` header. */
export const SIGNATURE_SCHEME = 'Remex-HMAC';
/** Header carrying the proxy's signature of a response. */
export const RESPONSE_SIGNATURE_HEADER = 'x-remex-signature';
/** Largest accepted clock difference between signer and verifier, in seconds. */
export const SIGNATURE_WINDOW_SECONDS = 300;

const KEY_ID = /^[0-9a-f]{16}$/;
const SECRET = /^[0-9a-f]{64}$/;
const NONCE = /^[0-9a-f]{32}$/;
const HEADER = /^Remex-HMAC key="([0-9a-f]{16})", ts="(\d{1,12})", nonce="([0-9a-f]{32})", sig="([0-9a-f]{64})"$/;

/** One proxy's credential: a public key id and its secret (64 hex digits, 256 bits). */
export interface ProxyCredential {
  keyId: string;
  secret: string;
}

/** What a signature covers. `path` is the request target as sent (path and query). */
export interface SignedMessage {
  /** `request` for a request, `response` for the answer to one (never interchangeable). */
  kind: 'request' | 'response';
  method: string;
  path: string;
  /** The raw body text (`''` when there is none). */
  body: string;
}

/** The parsed fields of a signature header. */
export interface SignatureFields {
  keyId: string;
  /** Unix time in seconds. */
  ts: number;
  nonce: string;
  sig: string;
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(text.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function randomHex(bytes: number): string {
  return hex(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A fresh credential (random 64-bit key id, random 256-bit secret). */
export function generateProxyCredential(): ProxyCredential {
  return { keyId: randomHex(8), secret: randomHex(32) };
}

/** The one-line text form given to the proxy (`<key id>.<secret>`). */
export function formatProxyCredential(c: ProxyCredential): string {
  return `${c.keyId}.${c.secret}`;
}

/**
 * Parses the text form made by {@link formatProxyCredential}.
 * @throws InputError when the text is not a proxy credential (e.g. an old shared token)
 */
export function parseProxyCredential(text: string): ProxyCredential {
  const [keyId = '', secret = '', ...rest] = text.trim().split('.');
  if (rest.length > 0 || !KEY_ID.test(keyId) || !SECRET.test(secret)) {
    throw new InputError(
      'The proxy credential is malformed: expected "<16 hex digits>.<64 hex digits>" as printed by `remex proxy-registration credential` (shared proxy tokens are no longer accepted)',
      { code: 'invalid_proxy_credential' },
    );
  }
  return { keyId, secret };
}

/** A fresh nonce (128 bits). */
export function newNonce(): string {
  return randomHex(16);
}

async function sha256Hex(text: string): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', fromHex(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await globalThis.crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
}

async function canonical(keyId: string, ts: number, nonce: string, m: SignedMessage): Promise<string> {
  return ['Remex-HMAC-v1', m.kind, keyId, m.method.toUpperCase(), m.path, String(ts), nonce, await sha256Hex(m.body)].join('\n');
}

/** Constant-time comparison of two hex strings of equal length (length is not secret). */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Signs `m` with `c`; returns the header value.
 * @param options - `now` (ms since epoch, default `Date.now()`), `nonce` (default fresh; a
 *   response passes the request's nonce)
 */
export async function signMessage(c: ProxyCredential, m: SignedMessage, options: { now?: number; nonce?: string } = {}): Promise<string> {
  const ts = Math.floor((options.now ?? Date.now()) / 1000);
  const nonce = options.nonce ?? newNonce();
  const sig = await hmacHex(c.secret, await canonical(c.keyId, ts, nonce, m));
  return `${SIGNATURE_SCHEME} key="${c.keyId}", ts="${ts}", nonce="${nonce}", sig="${sig}"`;
}

/** Parses a signature header value; null when absent or not of this scheme's exact shape. */
export function parseSignature(header: string | undefined): SignatureFields | null {
  const m = header === undefined ? null : HEADER.exec(header.trim());
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  return { keyId: m[1], ts: Number(m[2]), nonce: m[3], sig: m[4] };
}

/**
 * Checks a parsed signature of `m` against `secret`: the timestamp within
 * {@link SIGNATURE_WINDOW_SECONDS} of `now`, the HMAC equal (constant time).
 * @throws AuthenticationError naming the failed check (never the secret or the expected signature)
 */
export async function verifySignature(secret: string, f: SignatureFields, m: SignedMessage, options: { now?: number; windowSeconds?: number } = {}): Promise<void> {
  if (!NONCE.test(f.nonce)) throw new AuthenticationError('Invalid signature: malformed nonce', { code: 'invalid_signature' });
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - f.ts) > (options.windowSeconds ?? SIGNATURE_WINDOW_SECONDS)) {
    throw new AuthenticationError('Invalid signature: timestamp outside the accepted window (check both clocks)', { code: 'stale_signature' });
  }
  const expected = await hmacHex(secret, await canonical(f.keyId, f.ts, f.nonce, m));
  if (!sameHex(expected, f.sig)) throw new AuthenticationError('Invalid signature', { code: 'invalid_signature' });
}

/**
 * Remembers the nonces seen within the signature window, so a captured request cannot be
 * replayed while its timestamp is still accepted. Bounded: past `limit` entries the oldest go.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #limit: number;

  /** @param limit - most nonces remembered (Default: 100000) */
  constructor(limit = 100_000) {
    this.#limit = limit;
  }

  /**
   * Records `f`'s nonce.
   * @throws AuthenticationError when it was seen before
   */
  check(f: SignatureFields, now: number = Date.now()): void {
    const nowS = Math.floor(now / 1000);
    for (const [k, expiry] of this.#seen) {
      if (expiry >= nowS && this.#seen.size < this.#limit) break;
      this.#seen.delete(k);
    }
    const key = `${f.keyId}:${f.nonce}`;
    if (this.#seen.has(key)) throw new AuthenticationError('Invalid signature: replayed request', { code: 'replayed_signature' });
    this.#seen.set(key, f.ts + SIGNATURE_WINDOW_SECONDS);
  }
}
