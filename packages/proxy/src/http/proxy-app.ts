/**
 * @module
 * Builds the proxy's Fastify app: routes (each declaring its auth), the server-signature checks
 * and the one error handler.
 */
import Fastify, { type FastifyInstance, LogController } from 'fastify';

import type { ProxyTls } from '../tls/proxy-tls.ts';

import type { ProxyLogger } from '../logger.ts';
import { installErrorHandler } from './error-handler.ts';
import { type ProxyRoutesOptions, registerProxyRoutes } from './proxy-routes.ts';
import { installServerAuth } from './server-auth.ts';

/** Options of {@link buildProxyApp}. */
export interface ProxyAppOptions extends ProxyRoutesOptions {
  /** Largest request body, bytes. */
  bodyLimit: number;
  logger: ProxyLogger;
  /** HTTPS (and client certificates when `tls.ca`); absent: plain HTTP. */
  tls?: ProxyTls | undefined;
}

/** Creates the (not yet listening) HTTP app. */
export function buildProxyApp(options: ProxyAppOptions): FastifyInstance {
  const tls = options.tls;
  const app = Fastify({
    ...(tls
      ? { https: { cert: tls.cert, key: tls.key, ...(tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true }) } }
      : {}),
    loggerInstance: options.logger.child({ component: 'http' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
  }) as unknown as FastifyInstance;
  installErrorHandler(app);
  installServerAuth(app, options.credential);
  registerProxyRoutes(app, options);
  return app;
}
