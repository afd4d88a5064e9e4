/**
 * @module
 * The plugin developer API (manual "Plugin API", in TypeScript terms). A Remex plugin is an npm
 * package whose entry point exports a named `register(remex)` function; the server calls it at
 * start with a {@link RemexPluginApi}. A plugin registers remote execution features, ships the
 * job templates that implement them (a `feature:` line in the template's metadata header maps
 * the template to the feature) and triggers jobs from code without knowing template names:
 *
 * @example
 * ```ts
 * export async function register(remex: RemexPluginApi): Promise<void> {
 *   await remex.registerFeature({ label: 'hello', name: 'Say hello', providedInputs: ['greeting'], hostAction: true });
 *   await remex.importTemplate(HELLO_TEMPLATE); // its header says `feature: hello`
 *   const job = await remex.composer.forFeature('hello', ['web1.example.com'], { greeting: 'hi' }).trigger();
 * }
 * ```
 */
import type { FeatureDefinition } from '../features/feature-store.ts';

export type { FeatureDefinition } from '../features/feature-store.ts';

/** A job created by {@link FeatureJob.trigger}. */
export interface TriggeredJob {
  /** Job invocation id (`GET /api/job_invocations/:id`). */
  id: number;
  description: string;
  /** Number of target hosts. */
  totalHosts: number;
}

/** A job request for a feature, not yet stored. */
export interface FeatureJob {
  /** Validates the request (inputs, hosts) and stores the job; the dispatcher starts it. */
  trigger(): Promise<TriggeredJob>;
}

/** Builds jobs from features (the `JobInvocationComposer.for_feature` of Foreman). */
export interface FeatureComposer {
  /**
   * A job running the feature's template on `hosts` (names or ids) with `inputs`.
   * Targeting is static: the hosts are resolved once, when triggered.
   */
  forFeature(label: string, hosts: ReadonlyArray<string | number>, inputs?: Readonly<Record<string, string>>): FeatureJob;
}

/** Minimal logger handed to plugins. */
export interface PluginLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** What a plugin's `register` receives. */
export interface RemexPluginApi {
  /** Creates or refreshes a feature; its template assignment is kept across restarts. */
  registerFeature(def: FeatureDefinition): Promise<void>;
  /**
   * Imports a job template shipped by the plugin (text with the `<%# … %>` metadata header),
   * locked; created when missing and re-synced while `remote_execution_sync_templates` is true.
   * @returns the template id
   */
  importTemplate(text: string): Promise<number>;
  /** Triggers jobs from code. */
  composer: FeatureComposer;
  log: PluginLogger;
}

/** The shape of a plugin module. */
export interface RemexPluginModule {
  register(remex: RemexPluginApi): void | Promise<void>;
}
