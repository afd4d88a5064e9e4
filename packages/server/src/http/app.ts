/**
 * @module
 * Builds the Fastify application: auth, routes of every resource, one error handler.
 */
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { registerHostgroupRoutes } from '../hostgroups/hostgroup-routes.ts';
import { findHostgroup } from '../hostgroups/hostgroup-store.ts';
import { registerHostRoutes } from '../hosts/host-routes.ts';
import { findHost } from '../hosts/host-store.ts';
import { registerJobInvocationRoutes } from '../jobs/http/job-invocation-routes.ts';
import { registerProxyCallbackRoutes } from '../jobs/http/proxy-callback-routes.ts';
import { registerParameterRoutes } from '../parameters/parameter-routes.ts';
import { registerSmartProxyRoutes } from '../proxies/smart-proxy-routes.ts';
import { registerSettingRoutes } from '../settings/setting-routes.ts';
import { registerSubnetRoutes } from '../subnets/subnet-routes.ts';
import { registerBookmarkRoutes } from '../bookmarks/bookmark-routes.ts';
import { registerAudit } from '../audit/audit-hook.ts';
import { registerAuditRoutes } from '../audit/audit-routes.ts';
import { registerRecurringLogicRoutes } from '../recurring/recurring-logic-routes.ts';
import { registerWebhookRoutes } from '../webhooks/webhook-routes.ts';
import { requestIdOf } from '../audit/request-id.ts';
import { registerAutoCompleteRoutes } from '../search/auto-complete-routes.ts';
import { registerFeatureRoutes } from '../features/feature-routes.ts';
import { registerOperatingsystemRoutes } from '../operatingsystems/operatingsystem-routes.ts';
import { registerTaxonomyRoutes } from '../taxonomies/taxonomy-routes.ts';
import { registerDomainRoutes } from '../domains/domain-routes.ts';
import { registerJobTemplateRoutes } from '../templates/job-template-routes.ts';
import { registerTemplateInputRoutes } from '../templates/template-input-routes.ts';
import { registerPersonalAccessTokenRoutes } from '../users/personal-access-token-routes.ts';
import { registerSessionRoutes } from '../users/session-routes.ts';
import { registerUserRoutes } from '../users/user-routes.ts';
import { registerApiDocRoutes } from './apidoc-routes.ts';
import { registerAuth } from './auth.ts';
import { requireJsonBodies } from './body-type.ts';
import { setRawBody } from './raw-body.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import type { RouteAccess } from './route-access.ts';
import { foremanConventions } from './foreman-conventions.ts';
import { requireDeclaredAccess, withAccess } from './route-access.ts';
import { registerFilterRoutes } from '../authz/filter-routes.ts';
import { registerRoleRoutes } from '../authz/role-routes.ts';
import { registerStatusRoutes } from './status-routes.ts';
import { registerWebRoutes } from './web-routes.ts';

/**
 * What a logged error shows: type, message, code and stack only. Driver errors carry more (pg's
 * carry their client, whose connection parameters may hold the database password).
 */
export function errorForLog(error: Error): { [key: string]: unknown; type: string; message: string; stack: string } {
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}), stack: error.stack ?? '' };
}

/** Creates the Fastify instance with its logger (routes are added by {@link registerRoutes}). */
export function createFastify(logLevel: string): FastifyInstance {
  const app = Fastify({
    // Bodies are not logged; should one (or a task) ever be, its secrets are censored.
    logger: { level: logLevel, serializers: { err: errorForLog }, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.body', '*.password', '*.current_password', '*.token_value', '*.csrf_token', '*.secrets', '*.script', '*.inputs'] },
    bodyLimit: 16 * 1024 * 1024,
    genReqId: requestIdOf,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  // Foreman API clients send `Content-Type: application/json` on every request, DELETE with no
  // body included: an empty body is no body, not a 400. Anything else is parsed as before
  // (prototype-poisoning keys refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // Kept for signature checks of proxy callbacks (proxy-auth.ts).
    setRawBody(request, text);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  // Only JSON bodies are read (state changes must not come from a cross-site form).
  app.removeContentTypeParser('text/plain');
  // Per-request logs only when debugging: routes log at warn unless the level is debug/trace.
  if (logLevel !== 'debug' && logLevel !== 'trace') {
    // Routes registered in a scope (every route: see registerRoutes) inherit the scope's level,
    // so the hook overrides any level that is not quieter than warn.
    app.addHook('onRoute', (route) => {
      if (route.logLevel !== 'error' && route.logLevel !== 'fatal' && route.logLevel !== 'silent') route.logLevel = 'warn';
    });
  }
  return app;
}

const USER: RouteAccess = { auth: 'user' };
const PROXY: RouteAccess = { auth: 'proxy' };
const PUBLIC: RouteAccess = { auth: 'public' };

/**
 * Adds auth, routes and error mapping to `app`. Every route declares its access (ADR 0006):
 * each group below is registered in a scope that stamps it; a route without one stops the start.
 */
export function registerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  requireDeclaredAccess(app);
  const descriptions = foremanConventions(app);
  registerAuth(app, ctx);
  registerAudit(app, ctx);
  requireJsonBodies(app);
  // Foreman's /api/status needs authentication too.
  withAccess(app, USER, (api) => {
    registerStatusRoutes(api);
    registerSettingRoutes(api, ctx);
    registerAutoCompleteRoutes(api, ctx);
    registerBookmarkRoutes(api, ctx);
    registerHostRoutes(api, ctx);
    registerHostgroupRoutes(api, ctx);
    registerParameterRoutes(api, ctx, {
      host: async (db, ref) => (await findHost(db, ref)).id,
      hostgroup: async (db, ref) => (await findHostgroup(db, ref)).id,
    });
    registerSubnetRoutes(api, ctx);
    registerSmartProxyRoutes(api, ctx);
    registerJobTemplateRoutes(api, ctx);
    registerTemplateInputRoutes(api, ctx);
    registerOperatingsystemRoutes(api, ctx);
    registerTaxonomyRoutes(api, ctx);
    registerDomainRoutes(api, ctx);
    registerFeatureRoutes(api, ctx);
    registerJobInvocationRoutes(api, ctx);
    registerUserRoutes(api, ctx);
    registerPersonalAccessTokenRoutes(api, ctx);
    registerRoleRoutes(api, ctx);
    registerFilterRoutes(api, ctx);
    registerAuditRoutes(api, ctx);
    registerRecurringLogicRoutes(api, ctx);
    registerWebhookRoutes(api, ctx);
  });
  // Login and logout authenticate themselves (ADR 0010).
  withAccess(app, PUBLIC, (sessions) => registerSessionRoutes(sessions, ctx));
  withAccess(app, PROXY, (callbacks) => registerProxyCallbackRoutes(callbacks, ctx));
  withAccess(app, PUBLIC, (web) => {
    registerApiDocRoutes(web, descriptions);
    registerWebRoutes(web);
  });
}

export type { FastifyBaseLogger };
