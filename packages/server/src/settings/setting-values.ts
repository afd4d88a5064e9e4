/**
 * @module
 * What the API says about each remote-execution setting (Foreman's descriptions and types) and
 * how a new value is checked. Only the settings of `SETTING_DEFAULTS` exist for the API: the
 * store's internal rows are never shown nor written through it.
 */
import { InputError, NotFoundError, TRANSPORT_NAMES } from '@remex/common';
import type { Setting } from '@remex/common';

import type { SettingName, SettingValue } from './settings-store.ts';
import { SETTING_DEFAULTS } from './settings-store.ts';

const DESCRIPTIONS: Readonly<Record<SettingName, [fullName: string, description: string]>> = {
  remote_execution_ssh_user: ['SSH User', 'Default user to use for SSH. You may override per host by setting a parameter called remote_execution_ssh_user.'],
  remote_execution_effective_user: ['Effective User', 'Default user to use for executing the script. If the user differs from the SSH user, su or sudo is used to switch the user.'],
  remote_execution_effective_user_method: ['Effective User Method', 'What command should be used to switch to the effective user. One of sudo, su, dzdo.'],
  remote_execution_ssh_port: ['SSH Port', 'Port to use for SSH communication. Default port 22. You may override per host by setting a parameter called remote_execution_ssh_port.'],
  remote_execution_connect_by_ip: ['Connect by IP', 'Should the IP addresses on host interfaces be preferred over the FQDN?'],
  remote_execution_cleanup_working_dirs: ['Cleanup working directories', 'When enabled, working directories will be removed after task completion.'],
  remote_execution_remote_working_dir: ['Remote working directory', 'Directory where the scripts are uploaded and run on the host.'],
  remote_execution_sync_templates: ['Sync Job Templates', 'Whether to sync the shipped job templates at start-up.'],
  remote_execution_global_proxy: ['Global Proxy', 'Search the host for any proxy with Remote Execution when no subnet proxy is set.'],
  remote_execution_fallback_proxy: ['Fallback to Any Proxy', 'Search the host for any proxy with Remote Execution, useful when the host has no subnet or the subnet has no execution proxy.'],
  remote_execution_without_proxy: ['Without proxy', "When no proxy with Remote Execution applies to a host, run its tasks on this installation's built-in runner (the proxy started beside the server) instead of failing them."],
  remote_execution_form_job_template: ['Form Job Template', 'Choose a job template that is pre-selected in job invocation form.'],
  remote_execution_async_ssh: ['Async SSH', "Run scripts detached from their SSH session: output and exit status go to files on the host that the proxy reads on, so jobs survive a proxy restart and a broken connection. When off, each proxy's own async_ssh decides. You may override per host by setting a parameter called remote_execution_async_ssh."],
  remote_execution_transport: ['SSH Transport', "How proxies reach hosts: ssh2 (built in) or openssh (the system ssh with ControlMaster: ssh_config, ProxyJump, Kerberos). Empty: each proxy's own ssh_transport. You may override per host by setting a parameter called remote_execution_transport."],
};

const METHODS = ['sudo', 'su', 'dzdo'];

function typeOf(name: SettingName): Setting['settings_type'] {
  const d = SETTING_DEFAULTS[name];
  return typeof d === 'boolean' ? 'boolean' : typeof d === 'number' ? 'integer' : 'string';
}

/** The known setting named `id` (404 otherwise). */
export function settingName(id: string): SettingName {
  if (!Object.prototype.hasOwnProperty.call(SETTING_DEFAULTS, id)) throw new NotFoundError(`Setting '${id}' not found`);
  return id as SettingName;
}

/** A setting in Foreman's shape. */
export function serializeSetting(name: SettingName, value: SettingValue): Setting {
  const [fullName, description] = DESCRIPTIONS[name];
  return { id: name, name, full_name: fullName, description, category: 'Remote Execution', settings_type: typeOf(name), value, default: SETTING_DEFAULTS[name], readonly: false, encrypted: false };
}

/** Checks and converts a new value for `name` (booleans and integers also as text). */
export function parseSettingValue(name: SettingName, raw: string | number | boolean): SettingValue {
  const type = typeOf(name);
  const bad = (what: string) => new InputError(`Value of setting ${name} ${what}, got '${String(raw)}'`);
  if (type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const text = String(raw).trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    throw bad('must be true or false');
  }
  if (type === 'integer') {
    const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw bad('must be a port number from 1 to 65535');
    return n;
  }
  if (name === 'remote_execution_transport') {
    if (typeof raw !== 'string' || (raw !== '' && !(TRANSPORT_NAMES as readonly string[]).includes(raw))) throw bad(`must be one of: ${TRANSPORT_NAMES.join(', ')} (or empty for each proxy's own)`);
    return raw;
  }
  if (typeof raw !== 'string' || raw.trim() === '') throw bad("can't be blank");
  if (name === 'remote_execution_effective_user_method' && !METHODS.includes(raw)) throw bad(`must be one of: ${METHODS.join(', ')}`);
  if (name === 'remote_execution_remote_working_dir' && !raw.startsWith('/')) throw bad('must be an absolute path');
  if (raw.length > 255) throw new InputError(`Value of setting ${name} is too long (at most 255 characters)`);
  return raw;
}
