/**
 * @module
 * The `sshd_config` of a test sshd. Every setting is explicit so the machine's
 * `/etc/ssh/sshd_config` never matters.
 */
import { OTHER_USER, TEST_USER } from '../users/test-users.ts';

/** Files and port of one test sshd. */
export interface SshdConfigInput {
  /** TCP port to listen on (all IPv4 addresses). */
  port: number;
  /** Private host key file. */
  hostKeyFile: string;
  /** PID file. */
  pidFile: string;
  /** Authorized keys file shared by every allowed user. */
  authorizedKeysFile: string;
  /** sshd's `MaxSessions`: most sessions (channels) per connection. (Default: `1000`.) */
  maxSessions?: number | undefined;
  /** Accept Kerberos (GSSAPI) logins with any key of the keytab in `KRB5_KTNAME`. (Default: off.) */
  gssapi?: boolean | undefined;
}

/** Renders the sshd configuration file text. */
export function renderSshdConfig(input: SshdConfigInput): string {
  return [
    `Port ${input.port}`,
    'ListenAddress 0.0.0.0',
    `HostKey ${input.hostKeyFile}`,
    `PidFile ${input.pidFile}`,
    'UsePAM no',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitEmptyPasswords no',
    `AuthorizedKeysFile ${input.authorizedKeysFile}`,
    'StrictModes no',
    'UseDNS no',
    'MaxStartups 10000:100:10000',
    `MaxSessions ${input.maxSessions ?? 1000}`,
    'MaxAuthTries 20',
    'LoginGraceTime 60',
    `AllowUsers ${TEST_USER.name} ${OTHER_USER.name}`,
    'PermitRootLogin no',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowTcpForwarding yes',
    'ClientAliveInterval 0',
    ...(input.gssapi === true ? ['GSSAPIAuthentication yes', 'GSSAPIStrictAcceptorCheck no', 'GSSAPICleanupCredentials yes'] : []),
    '',
  ].join('\n');
}
