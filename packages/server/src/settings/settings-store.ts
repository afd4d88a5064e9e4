/**
 * @module
 * Remote-execution settings (Foreman's "Remote Execution" category) with defaults; stored values
 * win. Host parameters of the same name override them per host.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';

/** Settings and their defaults (reference §1f). */
export const SETTING_DEFAULTS = {
  remote_execution_ssh_user: 'root',
  remote_execution_effective_user: 'root',
  remote_execution_effective_user_method: 'sudo',
  remote_execution_ssh_port: 22,
  remote_execution_connect_by_ip: false,
  remote_execution_cleanup_working_dirs: true,
  remote_execution_remote_working_dir: '/var/tmp',
  remote_execution_sync_templates: true,
  remote_execution_global_proxy: true,
  remote_execution_fallback_proxy: false,
  remote_execution_without_proxy: false,
  remote_execution_form_job_template: 'Run Command - Script Default',
  /** `ssh2` or `openssh`; empty: each proxy's own `ssh_transport`. */
  remote_execution_transport: '',
  /** Run scripts detached (async SSH); false: each proxy's own `async_ssh`. */
  remote_execution_async_ssh: false,
} as const;

/** Name of a known setting. */
export type SettingName = keyof typeof SETTING_DEFAULTS;
/** Value type of a setting. */
export type SettingValue = string | number | boolean;

/** Reads and writes settings; values are cached after the first load. */
export class SettingsStore {
  readonly #db: Kysely<Database>;
  #cache: Map<string, SettingValue> | null = null;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Loads stored values (call once at start, and after external changes). */
  async load(): Promise<void> {
    const rows = await this.#db.selectFrom('settings').selectAll().execute();
    const map = new Map<string, SettingValue>();
    for (const r of rows) {
      try {
        map.set(r.name, JSON.parse(r.value) as SettingValue);
      } catch {
        map.set(r.name, r.value);
      }
    }
    this.#cache = map;
  }

  /** Value of `name` (stored or default). */
  get<N extends SettingName>(name: N): (typeof SETTING_DEFAULTS)[N] | SettingValue {
    return this.#cache?.get(name) ?? SETTING_DEFAULTS[name];
  }

  /** All known settings with their current values. */
  all(): Record<SettingName, SettingValue> {
    const out = {} as Record<SettingName, SettingValue>;
    for (const name of Object.keys(SETTING_DEFAULTS) as SettingName[]) out[name] = this.get(name);
    return out;
  }

  /** Stores `value` for `name`. */
  async set(name: string, value: SettingValue): Promise<void> {
    const json = JSON.stringify(value);
    await this.#db
      .insertInto('settings')
      .values({ name, value: json })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: json }))
      .execute();
    this.#cache?.set(name, value);
  }

  /** Raw stored value of an internal setting, or null. */
  async getInternal(name: string): Promise<string | null> {
    const row = await this.#db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row ? (JSON.parse(row.value) as string) : null;
  }
}
