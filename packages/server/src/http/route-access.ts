/**
 * @module
 * Deny-by-default route access (ADR 0006). Every route declares who may call it in
 * `config.access`, either itself or through the scope it is registered in
 * ({@link withAccess}); a route without a declaration stops the server from starting. The
 * auth hooks read the declaration of the *matched* route (`req.routeOptions.config`), never
 * the URL string.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { routePermission } from '../authz/route-permissions.ts';

/** Who may call a route: anyone, a user (HTTP Basic) or a smart proxy (proxy credentials). */
export type AuthKind = 'public' | 'user' | 'proxy';

/** The access declaration of a route. */
export interface RouteAccess {
  readonly auth: AuthKind;
  /**
   * Permission a user needs on top of authentication (e.g. `view_hosts`), stamped from the
   * central table `authz/route-permissions.ts`; null when any authenticated user may call it.
   */
  readonly permission?: string | null;
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
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      const stamped = access.auth === 'user' ? { ...access, permission: access.permission ?? permissionOf(method, route.url) } : access;
      route.config = { ...route.config, access: stamped };
      table.push({ method, url: route.url, access: stamped });
    }
  });
}

/** The permission of a user route from the central table; a route missing there is refused. */
function permissionOf(method: string, url: string): string | null {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  const permission = routePermission(key);
  if (permission === undefined) throw new Error(`Route ${key} has no permission in authz/route-permissions.ts (nor is it listed as open to any authenticated user): refusing to start`);
  return permission;
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
