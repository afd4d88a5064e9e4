/**
 * @module
 * How each host is reached and as whom: settings overridden by host parameters (reference §1f),
 * then job-level overrides, then the template's effective-user rules (reference §1d).
 */
import { type EffectiveUserMethod, type TaskSecrets, TRANSPORT_NAMES, type TransportName } from '@remex/common';

import type { JobInvocationRow, JobTemplateRow } from '../../db/schema.ts';
import { isSet } from '../../db/time.ts';
import type { SettingName, SettingsStore } from '../../settings/settings-store.ts';
import { type JobSecrets, NO_JOB_SECRETS } from '../compose/job-secrets.ts';
import type { LoadedTemplate } from '../../templates/job-template-store.ts';

/** Connection settings of one host task. */
export interface HostConnection {
  address: string;
  port: number;
  sshUser: string;
  effectiveUser: string;
  effectiveUserMethod: EffectiveUserMethod;
  cleanup: boolean;
  remoteWorkingDir: string;
  secrets: TaskSecrets | undefined;
  /** `remote_execution_transport` (host parameter, else setting); undefined: the proxy's own. */
  transport: TransportName | undefined;
  /** `remote_execution_async_ssh`: a host parameter either way, the setting only when on; undefined: the proxy's own. */
  asyncSsh: boolean | undefined;
}

function truthy(v: string | number | boolean): boolean {
  return v === true || v === 1 || (typeof v === 'string' && ['true', '1', 'yes', 'on'].includes(v.trim().toLowerCase()));
}

/**
 * The user a job's script runs as (reference, effective user resolution): the job's requested
 * user when the template lets it be overridden, else the job's owner when the template says
 * "current user", else the template's value, else `fallback` (the `remote_execution_effective_user`
 * setting, which a host parameter may override).
 */
export function resolveEffectiveUser(
  template: Pick<JobTemplateRow, 'effective_user_overridable' | 'effective_user_current_user' | 'effective_user_value'>,
  requested: string | null,
  jobUserLogin: string | null,
  fallback: string,
): string {
  if (isSet(template.effective_user_overridable) && requested) return requested;
  if (isSet(template.effective_user_current_user) && jobUserLogin) return jobUserLogin;
  return template.effective_user_value && template.effective_user_value !== '' ? template.effective_user_value : fallback;
}

/**
 * Resolves the connection of one host.
 * @param host - name and addresses
 * @param params - the host's effective parameters
 * @param jobSecrets - the job's own connection secrets (opened); each wins over the host's parameter
 */
export function hostConnection(
  host: { name: string; ip: string | null; ip6: string | null },
  params: Record<string, string>,
  settings: SettingsStore,
  job: JobInvocationRow,
  template: LoadedTemplate,
  jobUserLogin: string | null,
  jobSecrets: JobSecrets = NO_JOB_SECRETS,
): HostConnection {
  const setting = (name: SettingName) => params[name] ?? settings.get(name);
  const byIp = truthy(setting('remote_execution_connect_by_ip'));
  const address = byIp ? (host.ip ?? host.ip6 ?? host.name) : host.name;
  const port = Number(setting('remote_execution_ssh_port'));
  const sshUser = job.ssh_user ?? String(setting('remote_execution_ssh_user'));
  const t = template.row;
  const effectiveUser = resolveEffectiveUser(t, job.effective_user, jobUserLogin, String(setting('remote_execution_effective_user')));
  const method = String(setting('remote_execution_effective_user_method'));
  const transportValue = String(setting('remote_execution_transport'));
  const transport = (TRANSPORT_NAMES as readonly string[]).includes(transportValue) ? (transportValue as TransportName) : undefined;
  const secrets: TaskSecrets = {};
  // The job's own secrets (`password`, `key_passphrase`, `ssh[effective_user_password]`) win over the host's parameters.
  const sshPassword = jobSecrets.sshPassword ?? params.remote_execution_ssh_password;
  if (sshPassword) secrets.ssh_password = sshPassword;
  const keyPassphrase = jobSecrets.keyPassphrase ?? params.remote_execution_ssh_key_passphrase;
  if (keyPassphrase) secrets.key_passphrase = keyPassphrase;
  const effectiveUserPassword = jobSecrets.effectiveUserPassword ?? params.remote_execution_effective_user_password;
  if (effectiveUserPassword) secrets.effective_user_password = effectiveUserPassword;
  return {
    address,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 22,
    sshUser,
    effectiveUser,
    effectiveUserMethod: method === 'su' || method === 'dzdo' ? method : 'sudo',
    cleanup: truthy(setting('remote_execution_cleanup_working_dirs')),
    remoteWorkingDir: String(setting('remote_execution_remote_working_dir')),
    secrets: Object.keys(secrets).length > 0 ? secrets : undefined,
    transport,
    asyncSsh:
      params.remote_execution_async_ssh !== undefined
        ? truthy(params.remote_execution_async_ssh)
        : truthy(settings.get('remote_execution_async_ssh'))
          ? true
          : undefined,
  };
}
