/**
 * @module
 * The secrets a job carries for its hosts' connections: `ssh[effective_user_password]`,
 * `password` (SSH) and `key_passphrase` (Foreman's job parameters). Sealed with the server's
 * SecretBox when stored, opened only to go to the proxy; a job value wins over the host's
 * `remote_execution_*` parameter of the same secret.
 */
import type { JobInvocationCreate } from '@remex/common';

import type { JobInvocationRow } from '../../db/schema.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';

/** A job's connection secrets in clear; null when the job does not give one. */
export interface JobSecrets {
  effectiveUserPassword: string | null;
  sshPassword: string | null;
  keyPassphrase: string | null;
}

/** No secrets of the job's own. */
export const NO_JOB_SECRETS: JobSecrets = { effectiveUserPassword: null, sshPassword: null, keyPassphrase: null };

/** A given, non-empty secret, else null. */
function given(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** The secrets of a `POST /api/job_invocations` body. */
export function jobSecretsOf(body: JobInvocationCreate): JobSecrets {
  return {
    effectiveUserPassword: given(body.ssh?.effective_user_password),
    sshPassword: given(body.password ?? body.ssh?.password),
    keyPassphrase: given(body.key_passphrase ?? body.ssh?.key_passphrase),
  };
}

/** The sealed columns of `secrets`. */
export function sealJobSecrets(secrets: JobSecrets, box: SecretBox): Pick<JobInvocationRow, 'effective_user_password' | 'ssh_password' | 'key_passphrase'> {
  const seal = (v: string | null) => (v === null ? null : box.seal(v));
  return { effective_user_password: seal(secrets.effectiveUserPassword), ssh_password: seal(secrets.sshPassword), key_passphrase: seal(secrets.keyPassphrase) };
}

/** The secrets stored with `job`, opened. */
export function openJobSecrets(job: Pick<JobInvocationRow, 'effective_user_password' | 'ssh_password' | 'key_passphrase'>, box: SecretBox): JobSecrets {
  const open = (v: string | null) => (v === null ? null : box.open(v));
  return { effectiveUserPassword: open(job.effective_user_password), sshPassword: open(job.ssh_password), keyPassphrase: open(job.key_passphrase) };
}
