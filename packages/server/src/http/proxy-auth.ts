/**
 * @module
 * Authentication of proxies calling the server (ADR 0007): a `Remex-HMAC` signature made with the
 * proxy's own credential over method, path, timestamp, nonce and the raw body. The key id names
 * the proxy; the signature is checked in constant time, the timestamp within ±300 s, and a nonce
 * is accepted once. Called in `preValidation` (the body is parsed, not yet used).
 */
import type { SignatureFields } from '@remex/common';
import { AuthenticationError, parseSignature, ReplayGuard, verifySignature } from '@remex/common';
import type { FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import { credentialOf } from '../proxies/proxy-credentials.ts';
import { rawBodyOf } from './raw-body.ts';

/** The proxy a request was signed by. */
export interface AuthenticatedProxy {
  id: number;
  name: string;
}

const PROXY = Symbol('remex.proxy');
type WithProxy = FastifyRequest & { [PROXY]?: AuthenticatedProxy };

/** One replay guard per server (its context). */
const guards = new WeakMap<ServerContext, ReplayGuard>();

function guardOf(ctx: ServerContext): ReplayGuard {
  let g = guards.get(ctx);
  if (!g) {
    g = new ReplayGuard();
    guards.set(ctx, g);
  }
  return g;
}

/** The signature fields of a request, or null when its `Authorization` is not a proxy signature. */
export function proxySignatureOf(req: FastifyRequest): SignatureFields | null {
  return parseSignature(req.headers.authorization);
}

/**
 * Authenticates a proxy request and records the proxy ({@link currentProxy}).
 * @throws AuthenticationError when the signature is missing, of an unknown credential, wrong,
 *   stale or replayed
 */
export async function authenticateProxy(req: FastifyRequest, ctx: ServerContext): Promise<void> {
  const f = proxySignatureOf(req);
  if (!f) throw new AuthenticationError('Proxy requests must be signed with the proxy credential (Authorization: Remex-HMAC …)', { code: 'missing_signature' });
  const row = await ctx.store.db
    .selectFrom('smart_proxies')
    .select(['id', 'name', 'credential_key_id', 'credential'])
    .where('credential_key_id', '=', f.keyId)
    .executeTakeFirst();
  const credential = row ? credentialOf(row, ctx.secrets) : null;
  if (!row || !credential) throw new AuthenticationError('Invalid signature: no registered proxy holds this credential', { code: 'unknown_credential' });
  await verifySignature(credential.secret, f, { kind: 'request', method: req.method, path: req.url, body: rawBodyOf(req) });
  guardOf(ctx).check(f);
  (req as WithProxy)[PROXY] = { id: row.id, name: row.name };
}

/** The proxy that signed `req` (set by {@link authenticateProxy}), else null. */
export function currentProxy(req: FastifyRequest): AuthenticatedProxy | null {
  return (req as WithProxy)[PROXY] ?? null;
}
