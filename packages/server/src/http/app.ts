/**
 * @module
 * Builds the Fastify application: auth, routes of every resource, one error handler.
 */
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { registerHostgroupRoutes, findHostgroup } from '../hostgroups/hostgroup-routes.ts';
import { registerHostImportRoutes } from '../hosts/host-import.ts';
import { findHost, registerHostRoutes } from '../hosts/host-routes.ts';
import { registerJobInvocationRoutes } from '../jobs/job-invocation-routes.ts';
import { registerProxyCallbackRoutes } from '../jobs/proxy-callback-routes.ts';
import { registerParameterRoutes } from '../parameters/parameter-routes.ts';
import { registerSmartProxyRoutes } from '../proxies/smart-proxy-routes.ts';
import { registerSubnetRoutes } from '../subnets/subnet-routes.ts';
import { registerBookmarkRoutes } from '../bookmarks/bookmark-routes.ts';
import { registerAutoCompleteRoutes } from '../search/auto-complete-routes.ts';
import { registerFeatureRoutes } from '../features/feature-routes.ts';
import { registerOperatingsystemRoutes } from '../operatingsystems/operatingsystem-routes.ts';
import { registerJobTemplateRoutes } from '../templates/job-template-routes.ts';
import { registerTemplateInputRoutes } from '../templates/template-input-routes.ts';
import { registerAuth } from './auth.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { registerStatusRoutes } from './status-routes.ts';
import { registerWebRoutes } from './web-routes.ts';

/** Creates the Fastify instance with its logger (routes are added by {@link registerRoutes}). */
export function createFastify(logLevel: string): FastifyInstance {
  const app = Fastify({
    logger: { level: logLevel, redact: ['req.headers.authorization'] },
    bodyLimit: 16 * 1024 * 1024,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  // Foreman API clients send `Content-Type: application/json` on every request, DELETE with no
  // body included: an empty body is no body, not a 400. Anything else is parsed as before
  // (prototype-poisoning keys refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  // Per-request logs only when debugging: routes log at warn unless the level is debug/trace.
  if (logLevel !== 'debug' && logLevel !== 'trace') {
    app.addHook('onRoute', (route) => {
      route.logLevel ??= 'warn';
    });
  }
  return app;
}

/** Adds auth, routes and error mapping to `app`. */
export function registerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  registerAuth(app, ctx);
  registerStatusRoutes(app, ctx);
  registerHostImportRoutes(app, ctx);
  registerAutoCompleteRoutes(app, ctx);
  registerBookmarkRoutes(app, ctx);
  registerHostRoutes(app, ctx);
  registerHostgroupRoutes(app, ctx);
  registerParameterRoutes(app, ctx, {
    host: async (db, ref) => (await findHost(db, ref)).id,
    hostgroup: async (db, ref) => (await findHostgroup(db, ref)).id,
  });
  registerSubnetRoutes(app, ctx);
  registerSmartProxyRoutes(app, ctx);
  registerJobTemplateRoutes(app, ctx);
  registerTemplateInputRoutes(app, ctx);
  registerOperatingsystemRoutes(app, ctx);
  registerFeatureRoutes(app, ctx);
  registerJobInvocationRoutes(app, ctx);
  registerProxyCallbackRoutes(app, ctx);
  registerWebRoutes(app);
}

export type { FastifyBaseLogger };
