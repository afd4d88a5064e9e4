/**
 * @module
 * Deny-by-default route access (ADR 0006). Every route declares who may call it in
 * `config.access`, either itself or through the scope it is registered in
 * ({@link withAccess}); a route without a declaration stops the server from starting. The
 * auth hooks read the declaration of the *matched* route (`req.routeOptions.config`), never
 * the URL string.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Who may call a route: anyone, a user (HTTP Basic) or a smart proxy (proxy credentials). */
export type AuthKind = 'public' | 'user' | 'proxy';

/** The access declaration of a route. */
export interface RouteAccess {
  readonly auth: AuthKind;
  /**
   * Permission a user needs on top of authentication (e.g. `view_hosts`). Until roles exist
   * only admins hold permissions.
   */
  readonly permission?: string;
}

/** One route of the table (see {@link routeTable}). */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route (required: see `route-access.ts`). */
    access?: RouteAccess;
  }
}

const SCOPE_ACCESS = Symbol('remex.scopeAccess');
const tables = new WeakMap<FastifyInstance, RouteEntry[]>();
const KINDS: readonly string[] = ['public', 'user', 'proxy'];

function isRouteAccess(value: unknown): value is RouteAccess {
  return typeof value === 'object' && value !== null && KINDS.includes((value as { auth?: unknown }).auth as string);
}

/**
 * Makes `app` refuse (throw at registration, so the server does not start) every route that
 * declares no access, stamps the scope's declaration on the others and records the route table.
 */
export function requireDeclaredAccess(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', function (route) {
    const own: unknown = route.config?.access;
    const access: unknown = own ?? (this as unknown as Record<symbol, unknown>)[SCOPE_ACCESS];
    if (!isRouteAccess(access)) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access {auth: 'public' | 'user' | 'proxy'}): refusing to start`);
    }
    route.config = { ...route.config, access };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) table.push({ method, url: route.url, access });
  });
}

/** Registers the routes of `register` in a scope whose routes default to `access`. */
export function withAccess(app: FastifyInstance, access: RouteAccess, register: (scope: FastifyInstance) => void): void {
  void app.register((scope, _options, done) => {
    try {
      scope.decorate(SCOPE_ACCESS, access);
      register(scope);
      done();
    } catch (e: unknown) {
      // A refused route fails `ready()` (the server does not start) instead of crashing the process.
      done(e as Error);
    }
  });
}

/** The access declaration of the route `req` matched; undefined for unmatched (404) requests. */
export function accessOf(req: FastifyRequest): RouteAccess | undefined {
  return req.is404 ? undefined : req.routeOptions.config.access;
}

/** The routes of `app` recorded so far (complete once the app is ready). */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}
