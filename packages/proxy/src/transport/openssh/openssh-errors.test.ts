import { describe, expect, it } from 'vitest';

import type { TransportTarget } from '../transport.ts';
import { keyFingerprint, opensshConnectError } from './openssh-errors.ts';

const target: TransportTarget = { hostName: 'web1', address: '10.0.0.5', port: 2222, user: 'deploy' };

describe('opensshConnectError', () => {
  const map = (log: string) => opensshConnectError(log, target, ['gssapi-with-mic', 'publickey'], undefined, 7);

  it('words failures like the ssh2 transport, with the same codes', () => {
    expect(map('deploy@10.0.0.5: Permission denied (publickey,password).\n')).toMatchObject({
      code: 'auth_failed',
      message: 'Authentication failed for user deploy on host web1 (10.0.0.5:2222); tried: gssapi-with-mic, publickey',
    });
    expect(map('ssh: connect to host 10.0.0.5 port 2222: Connection refused\n')).toMatchObject({
      code: 'connect_failed',
      message: 'Failed to connect to 10.0.0.5:2222: connect ECONNREFUSED',
    });
    expect(map('ssh: connect to host 10.0.0.5 port 2222: Network is unreachable\n').message).toBe('Failed to connect to 10.0.0.5:2222: connect ENETUNREACH');
    expect(map('ssh: connect to host 10.0.0.5 port 2222: Connection timed out\n')).toMatchObject({ code: 'connect_timeout', message: expect.stringContaining('after 7 s') as unknown });
    expect(map('kex_exchange_identification: read: Connection reset by peer\n').code).toBe('connect_failed');
    expect(map('something odd\n').message).toBe('SSH connection to 10.0.0.5:2222 failed: something odd');
  });

  it('names both keys when the host key changed', () => {
    const trusted = { algorithm: 'ssh-ed25519', key: Buffer.from('old key blob').toString('base64') };
    const log = [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      'The fingerprint for the ED25519 key sent by the remote host is',
      'SHA256:AbCdEf0123456789+/xyz.',
      'Host key verification failed.',
    ].join('\n');
    const error = opensshConnectError(log, target, ['publickey'], trusted, 7);
    expect(error.code).toBe('host_key_mismatch');
    expect(error.message).toBe(
      `Host key verification failed for web1 ([10.0.0.5]:2222): it presented the ED25519 key SHA256:AbCdEf0123456789+/xyz, but ssh-ed25519 key ${keyFingerprint(trusted.key)} was trusted on first use. If the host was legitimately re-keyed, remove its stored key from the proxy.`,
    );
  });
});
