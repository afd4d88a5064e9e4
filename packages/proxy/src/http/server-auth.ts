/**
 * @module
 * Authentication of the server's requests to the proxy (ADR 0007), deny by default: every route
 * declares `config: { auth: 'server' | 'public' }` ({@link routeAuth}) and a route without one makes
 * the app refuse to start. `server` routes need a `Remex-HMAC` signature made with this proxy's
 * credential over method, path, timestamp, nonce and the raw body (checked in constant time,
 * timestamp within ±300 s, nonce accepted once), and their answers are signed over the same nonce
 * ({@link RESPONSE_SIGNATURE_HEADER}) so the server knows who answered.
 */
import type { ProxyCredential } from '@remex/common';
import { AuthenticationError, parseSignature, ReplayGuard, RESPONSE_SIGNATURE_HEADER, signMessage, verifySignature } from '@remex/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Who may call a route: the server (signed requests) or anyone. */
export type RouteAuth = 'server' | 'public';

const RAW = Symbol('remex.rawBody');
const NONCE = Symbol('remex.nonce');
type Marked = FastifyRequest & { [RAW]?: string; [NONCE]?: string };

/** Route options declaring who may call the route (spread into the route's options). */
export function routeAuth(auth: RouteAuth): { config: Record<string, unknown> } {
  return { config: { auth } };
}

function authOf(config: unknown): unknown {
  return typeof config === 'object' && config !== null ? (config as { auth?: unknown }).auth : undefined;
}

/**
 * Installs the checks on `app`; call before any route is added.
 * @param credential - this proxy's credential
 */
export function installServerAuth(app: FastifyInstance, credential: ProxyCredential): void {
  const guard = new ReplayGuard();
  app.addHook('onRoute', (route) => {
    const auth = authOf(route.config);
    if (auth !== 'server' && auth !== 'public') {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no auth ('server' or 'public'); refusing to start`);
    }
  });
  // Keep the raw JSON text: the signature covers the exact bytes sent.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    (request as Marked)[RAW] = text;
    void parseJson(request, text, done);
  });
  const modeOf = (request: FastifyRequest): unknown => (request.routeOptions.url === undefined ? 'public' : authOf(request.routeOptions.config));
  // Before the body is read: refuses anything that cannot be a signature of this proxy's credential.
  const precheck = (request: FastifyRequest): AuthenticationError | undefined => {
    if (modeOf(request) === 'public') return undefined;
    const f = parseSignature(request.headers.authorization);
    if (!f) return new AuthenticationError('Missing signature: requests must be signed with the proxy credential (Authorization: Remex-HMAC …)', { code: 'missing_signature' });
    if (f.keyId !== credential.keyId) return new AuthenticationError("Invalid signature: not made with this proxy's credential", { code: 'invalid_signature' });
    return undefined;
  };
  app.addHook('onRequest', (request, _reply, done) => {
    done(precheck(request));
  });
  app.addHook('preValidation', async (request) => {
    if (modeOf(request) === 'public') return;
    const f = parseSignature(request.headers.authorization);
    if (!f) throw new AuthenticationError('Missing signature', { code: 'missing_signature' });
    const m = request as Marked;
    await verifySignature(credential.secret, f, { kind: 'request', method: request.method, path: request.url, body: m[RAW] ?? '' });
    guard.check(f);
    m[NONCE] = f.nonce;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const nonce = (request as Marked)[NONCE];
    if (nonce === undefined) return payload;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : null;
    if (body === null) return payload;
    void reply.header(RESPONSE_SIGNATURE_HEADER, await signMessage(credential, { kind: 'response', method: request.method, path: request.url, body }, { nonce }));
    return payload;
  });
}
