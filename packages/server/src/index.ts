/**
 * @module
 * `@remex/server`: the HTTP API, the store and the dispatcher.
 */
export { loadServerConfig } from './config/server-config.ts';
export type { ServerConfig } from './config/server-config.ts';
export { startServer } from './server.ts';
export type { RunningServer } from './server.ts';
export { openStore, migrateToLatest } from './db/database.ts';
export { resetPassword } from './users/reset-password.ts';
export type { Store } from './db/database.ts';
export type { Database } from './db/schema.ts';
export type {
  FeatureComposer,
  FeatureDefinition,
  FeatureJob,
  PluginLogger,
  RemexPluginApi,
  RemexPluginModule,
  TriggeredJob,
} from './plugins/plugin-api.ts';
