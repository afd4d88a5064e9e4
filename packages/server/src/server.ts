/**
 * @module
 * Starting and stopping a server: store, migrations, bootstrap (admin, proxy token, default
 * templates), HTTP API and the dispatcher loop.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

import type { ServerConfig } from './config/server-config.ts';
import { DEFAULT_MAX_HOST_OUTPUT_BYTES } from './config/server-config.ts';
import type { ServerContext } from './context.ts';
import { migrateToLatest, openStore } from './db/database.ts';
import { JobEventBus } from './events/event-bus.ts';
import { createFastify, registerRoutes } from './http/app.ts';
import { DefaultDispatcher } from './jobs/dispatcher.ts';
import { loadPlugins } from './plugins/plugin-loader.ts';
import { registerProxy } from './proxies/smart-proxy-routes.ts';
import { loadSecretKey, SecretBox } from './secrets/secret-box.ts';
import { SettingsStore } from './settings/settings-store.ts';
import { seedDefaultTemplates } from './templates/default-templates.ts';
import { CredentialChecker, ensureAdmin } from './users/user-store.ts';

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  dataDir: string;
  /** Shared secret for proxies (give it to `remex proxy` as REMEX_PROXY_TOKEN). */
  proxyToken: string;
  /** The admin password generated at first start (print once), else null. */
  generatedAdminPassword: string | null;
  /** Open live-event subscriptions (SSE streams) over all jobs. */
  subscriptions(): number;
  /** Registers (or refreshes) a proxy by name and URL. */
  registerProxy(name: string, url: string): Promise<void>;
  /** Stops the dispatcher, the HTTP server and the store. */
  stop(): Promise<void>;
}

async function proxyTokenOf(settings: SettingsStore, configured: string | null): Promise<string> {
  if (configured) return configured;
  const stored = await settings.getInternal('_proxy_token');
  if (stored) return stored;
  const token = randomBytes(24).toString('base64url');
  await settings.set('_proxy_token', token);
  return token;
}

/** Starts a server from `config`. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const secrets = new SecretBox(loadSecretKey(config.dataDir, config.secretKey ?? null));
  // The logger exists once Fastify does; until then a broken idle connection is only dropped.
  let onIdleError = (_error: Error): void => undefined;
  const store = openStore(config.databaseUrl, { onIdleError: (error) => onIdleError(error) });
  try {
    await migrateToLatest(store);
    const settings = new SettingsStore(store.db);
    await settings.load();
    const generatedAdminPassword = await ensureAdmin(store.db, config.adminPassword);
    const proxyToken = await proxyTokenOf(settings, config.proxyToken);
    await seedDefaultTemplates(store.db, settings.get('remote_execution_sync_templates') !== false);

    const app = createFastify(config.logLevel);
    onIdleError = (error) => app.log.warn({ err: error }, 'an idle database connection broke; it will be replaced');
    const bus = new JobEventBus();
    const dispatcher = new DefaultDispatcher({ db: store.db, settings, bus, proxyToken, log: app.log });
    const ctx: ServerContext = { store, settings, credentials: new CredentialChecker(store.db), bus, dispatch: dispatcher, proxyToken, secrets, log: app.log, maxHostOutputBytes: config.maxHostOutputBytes ?? DEFAULT_MAX_HOST_OUTPUT_BYTES };
    registerRoutes(app, ctx);
    await loadPlugins(config.plugins ?? [], ctx);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    dispatcher.start();
    return {
      url,
      dataDir: config.dataDir,
      proxyToken,
      generatedAdminPassword,
      subscriptions: () => bus.subscriptions(),
      registerProxy: async (name, proxyUrl) => {
        await registerProxy(store.db, name, proxyUrl, proxyToken, { replace: true });
      },
      stop: async () => {
        await dispatcher.stop();
        await app.close();
        await store.destroy();
      },
    };
  } catch (e: unknown) {
    await store.destroy();
    throw e;
  }
}
