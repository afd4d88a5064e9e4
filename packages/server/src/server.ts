/**
 * @module
 * Starting and stopping a server: store, migrations, bootstrap (admin, default templates), HTTP
 * API and the dispatcher loop.
 */
import { seedBuiltinRoles } from './authz/role-store.ts';
import fs from 'node:fs';

import type { ServerConfig } from './config/server-config.ts';
import { DEFAULT_MAX_HOST_OUTPUT_BYTES } from './config/server-config.ts';
import type { ServerContext } from './context.ts';
import { migrateToLatest, openStore } from './db/database.ts';
import { JobEventBus } from './events/event-bus.ts';
import { PgEventRelay } from './events/pg-event-relay.ts';
import { recurringOptions } from './recurring/recurring-logic-store.ts';
import { WebhookDeliverer } from './webhooks/webhook-deliverer.ts';
import { createFastify, registerRoutes } from './http/app.ts';
import type { RouteEntry } from './http/route-access.ts';
import { routeTable } from './http/route-access.ts';
import { SERVER_INSTANCE_ID } from './jobs/dispatch/claim.ts';
import { DefaultDispatcher } from './jobs/dispatch/dispatcher.ts';
import { loadPlugins } from './plugins/plugin-loader.ts';
import { issueProxyCredential } from './proxies/proxy-credentials.ts';
import { configureProxyClientTls, loadProxyClientTls } from './proxies/proxy-http.ts';
import { registerProxy } from './proxies/smart-proxy-store.ts';
import { resealSecrets } from './secrets/reseal.ts';
import { loadSecretKey, SecretBox } from './secrets/secret-box.ts';
import { SettingsStore } from './settings/settings-store.ts';
import { seedDefaultTemplates } from './templates/default-templates.ts';
import { CredentialChecker } from './users/credential-checker.ts';
import { PersonalAccessTokenStore } from './users/personal-access-token-store.ts';
import { SessionStore } from './users/session-store.ts';
import { ensureAdmin } from './users/user-store.ts';

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  dataDir: string;
  /** The admin password generated at first start (print once), else null. */
  generatedAdminPassword: string | null;
  /**
   * Issues a credential for the proxy `name` (ADR 0007) and returns its text form: give it to that
   * proxy (`token`, REMEX_PROXY_TOKEN), then {@link registerProxy}.
   */
  issueProxyCredential(name: string): Promise<string>;
  /** Every route of the HTTP API with its declared access (the real route table, for tests). */
  routes: readonly RouteEntry[];
  /** Open live-event subscriptions (SSE streams) over all jobs. */
  subscriptions(): number;
  /** Registers (or refreshes) a proxy by name and URL once it proves it holds its credential. */
  registerProxy(name: string, url: string): Promise<void>;
  /** Stops the dispatcher, the HTTP server and the store. */
  stop(): Promise<void>;
}

/** Starts a server from `config`. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const secrets = new SecretBox(loadSecretKey(config.dataDir, config.secretKey ?? null));
  configureProxyClientTls(loadProxyClientTls(config.proxyTlsFiles ?? {}));
  // The logger exists once Fastify does; until then a broken idle connection is only dropped.
  let onIdleError = (_error: Error): void => undefined;
  const store = openStore(config.databaseUrl, { onIdleError: (error) => onIdleError(error) });
  let relay: PgEventRelay | null = null;
  let deliverer: WebhookDeliverer | null = null;
  try {
    await migrateToLatest(store);
    // Needs the key, so not a migration: seals secrets stored in clear before encryption at rest.
    const resealed = await resealSecrets(store, secrets);
    const settings = new SettingsStore(store.db);
    await settings.load();
    const generatedAdminPassword = await ensureAdmin(store.db, config.adminPassword);
    await seedBuiltinRoles(store.db);
    await seedDefaultTemplates(store.db, settings.get('remote_execution_sync_templates') !== false);

    const app = createFastify(config.logLevel);
    // Only message and code: pg's error carries its client, whose connection parameters may hold
    // the database password.
    onIdleError = (error) => app.log.warn({ error: error.message, code: (error as { code?: unknown }).code }, 'an idle database connection broke; it will be replaced');
    if (resealed.parameters + resealed.jobs + resealed.scripts > 0) app.log.info({ resealed }, 'secrets stored in clear by an older version were sealed');
    const bus = new JobEventBus();
    const recurring = recurringOptions(config.timeZone, config.recurringGraceSeconds);
    // Several servers may share a PostgreSQL database: followers on any of them see every event.
    relay =
      store.dialect === 'postgres'
        ? new PgEventRelay({ connectionString: config.databaseUrl, db: store.db, bus, instanceId: config.instanceId ?? SERVER_INSTANCE_ID, warn: (message, error) => app.log.warn({ error: error.message }, message) })
        : null;
    await relay?.start();
    const dispatcher = new DefaultDispatcher({ db: store.db, settings, bus, secrets, log: app.log, leaseMs: (config.taskLeaseSeconds ?? 30) * 1000, builtinProxy: config.builtinProxy ?? 'embedded', instanceId: config.instanceId ?? SERVER_INSTANCE_ID, recurring });
    const now = config.now ?? Date.now;
    const sessions = new SessionStore(store.db, { idleMs: (config.sessionIdleMinutes ?? 60) * 60_000, maxMs: (config.sessionMaxHours ?? 12) * 3_600_000, now });
    const credentials = new CredentialChecker(store.db, { throttle: config.loginThrottle, now });
    const ctx: ServerContext = { store, settings, credentials, sessions, tokens: new PersonalAccessTokenStore(store.db, now), bus, dispatch: dispatcher, secrets, log: app.log, maxHostOutputBytes: config.maxHostOutputBytes ?? DEFAULT_MAX_HOST_OUTPUT_BYTES, recurring, webhookRetryBaseMs: config.webhookRetryBaseMs ?? 5000 };
    registerRoutes(app, ctx);
    await loadPlugins(config.plugins ?? [], ctx);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    dispatcher.start();
    deliverer = new WebhookDeliverer({ db: store.db, secrets, log: app.log, instanceId: config.instanceId ?? SERVER_INSTANCE_ID, retryBaseMs: config.webhookRetryBaseMs ?? 5000 });
    deliverer.start();
    return {
      url,
      dataDir: config.dataDir,
      generatedAdminPassword,
      issueProxyCredential: (name) => issueProxyCredential(store.db, secrets, name),
      routes: routeTable(app),
      subscriptions: () => bus.subscriptions(),
      registerProxy: async (name, proxyUrl) => {
        await registerProxy(store.db, secrets, name, proxyUrl, { replace: true });
      },
      stop: async () => {
        await dispatcher.stop();
        await deliverer?.stop();
        await app.close();
        await relay?.stop();
        await store.destroy();
      },
    };
  } catch (e: unknown) {
    await relay?.stop();
    await store.destroy();
    throw e;
  }
}
