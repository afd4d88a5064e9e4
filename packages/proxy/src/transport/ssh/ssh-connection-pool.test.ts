import { describe, expect, it } from 'vitest';

import type { TransportTarget } from '../transport.ts';
import { SshConnectionPool } from './ssh-connection-pool.ts';

const target: TransportTarget = { hostName: 'web1', address: '10.0.0.5', port: 22, user: 'deploy' };

describe('SshConnectionPool.identity', () => {
  const pool = new SshConnectionPool({ idleTimeoutMs: 60_000, maxOpen: 10 });

  it('is equal for equal targets and secrets', () => {
    expect(pool.identity({ ...target, password: 'pw' })).toBe(pool.identity({ ...target, password: 'pw' }));
  });

  it('differs by host, address, port, user, password and passphrase', () => {
    const base = pool.identity(target);
    for (const other of [
      { ...target, hostName: 'web2' },
      { ...target, address: '10.0.0.6' },
      { ...target, port: 2222 },
      { ...target, user: 'root' },
      { ...target, password: 'pw' },
      { ...target, keyPassphrase: 'pw' },
      { ...target, password: '' },
    ]) {
      expect(pool.identity(other)).not.toBe(base);
    }
    expect(pool.identity({ ...target, password: 'a' })).not.toBe(pool.identity({ ...target, keyPassphrase: 'a' }));
  });

  it('holds no secret in clear and is keyed per pool', () => {
    const secret = 'correct horse battery staple';
    const identity = pool.identity({ ...target, password: secret });
    expect(identity).not.toContain(secret);
    expect(identity).not.toContain(Buffer.from(secret).toString('base64'));
    const other = new SshConnectionPool({ idleTimeoutMs: 60_000, maxOpen: 10 });
    expect(other.identity({ ...target, password: secret })).not.toBe(identity);
  });

  it('leases nothing when disabled or when no host key is trusted', () => {
    const off = new SshConnectionPool({ idleTimeoutMs: 0, maxOpen: 10 });
    expect(off.enabled).toBe(false);
    expect(off.lease(off.identity(target), 'AAAA')).toBeUndefined();
    expect(pool.lease(pool.identity(target), undefined)).toBeUndefined();
  });
});
