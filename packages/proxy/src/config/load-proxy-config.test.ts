import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { InputError } from '@remex/common';
import { afterEach, describe, expect, it } from 'vitest';

import { loadProxyConfig } from './load-proxy-config.ts';
import { defaultSshWorkerThreads, PROXY_CONFIG_DEFAULTS } from './proxy-config.ts';

const dirs: string[] = [];
function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'remex-proxy-config-'));
  dirs.push(dir);
  const path = join(dir, 'proxy.yml');
  writeFileSync(path, text);
  return path;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadProxyConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't' } });
    expect(config).toMatchObject({
      listenHost: '127.0.0.1',
      listenPort: 8443,
      plainHttp: false,
      tlsCertFile: undefined,
      tlsClientCaFile: undefined,
      maxConcurrentSessions: 200,
      remoteWorkingDir: '/var/tmp',
      sshIdentityKeyFile: undefined,
      sshMaxHandshakes: undefined,
      sshConnectionIdleTimeout: 60,
      sshMaxOpenConnections: 1000,
      sshMaxSessionsPerConnection: 10,
      serverUrl: PROXY_CONFIG_DEFAULTS.serverUrl,
      token: 't',
    });
    expect(config.name.length).toBeGreaterThan(0);
  });

  it('listens on 3001 with plain_http, reads the TLS files relative to the config file, and refuses contradictions', () => {
    expect(loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_PLAIN_HTTP: 'true' } }).listenPort).toBe(3001);
    const path = file(['token: t', 'tls_cert_file: tls/proxy.crt', 'tls_key_file: tls/proxy.key', 'tls_client_ca_file: /etc/remex/ca.crt', ''].join('\n'));
    const config = loadProxyConfig({ file: path, env: {} });
    expect(config.tlsCertFile).toBe(join(dirname(path), 'tls/proxy.crt'));
    expect(config.tlsKeyFile).toBe(join(dirname(path), 'tls/proxy.key'));
    expect(config.tlsClientCaFile).toBe('/etc/remex/ca.crt');
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_TLS_CERT_FILE: '/x.crt' } })).toThrow(/tls_cert_file and tls_key_file go together/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_PLAIN_HTTP: "true", REMEX_PROXY_TLS_CLIENT_CA_FILE: '/ca.crt' } })).toThrow(
      /plain_http turns TLS off/,
    );
  });

  it('reads the YAML file, then env, then overrides (last wins)', () => {
    const path = file(
      [
        'name: from-file',
        'listen: 0.0.0.0:4001',
        'server_url: http://server.example:3000/',
        'token: file-token',
        'data_dir: ./state',
        'max_concurrent_sessions: 10',
        'ssh_identity_key_file: keys/id',
        'remote_working_dir: /srv/tmp',
        'ssh_connect_timeout: 5',
        'ssh_max_handshakes: 32',
        'ssh_connection_idle_timeout: 0',
        'ssh_max_open_connections: 50',
        'ssh_max_sessions_per_connection: 4',
        'ssh_transport: openssh',
        'kerberos_auth: true',
      ].join('\n'),
    );
    const fromFile = loadProxyConfig({ file: path, env: {} });
    expect(fromFile).toMatchObject({
      name: 'from-file',
      listenHost: '0.0.0.0',
      listenPort: 4001,
      serverUrl: 'http://server.example:3000',
      token: 'file-token',
      dataDir: join(path, '..', 'state'),
      maxConcurrentSessions: 10,
      sshIdentityKeyFile: join(path, '..', 'keys', 'id'),
      remoteWorkingDir: '/srv/tmp',
      sshConnectTimeout: 5,
      sshMaxHandshakes: 32,
      sshConnectionIdleTimeout: 0,
      sshMaxOpenConnections: 50,
      sshMaxSessionsPerConnection: 4,
      sshTransport: 'openssh',
      kerberosAuth: true,
    });
    expect(loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't' } }).kerberosAuth).toBe(false);
    expect(loadProxyConfig({ file: path, env: { REMEX_PROXY_KERBEROS_AUTH: 'no' } }).kerberosAuth).toBe(false);
    expect(loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't' } }).sshTransport).toBe('ssh2');
    expect(loadProxyConfig({ file: path, env: { REMEX_PROXY_SSH_TRANSPORT: 'ssh2' } }).sshTransport).toBe('ssh2');
    const withEnv = loadProxyConfig({
      file: path,
      env: { REMEX_PROXY_LISTEN: '127.0.0.2:5001', REMEX_PROXY_PORT: '5002', REMEX_PROXY_MAX_SESSIONS: '7', REMEX_PROXY_TOKEN: 'env-token' },
      overrides: { name: 'override' },
    });
    expect(withEnv).toMatchObject({ name: 'override', listenHost: '127.0.0.2', listenPort: 5002, maxConcurrentSessions: 7, token: 'env-token' });
    const warm = loadProxyConfig({
      file: path,
      env: { REMEX_PROXY_SSH_CONNECTION_IDLE_TIMEOUT: '2.5', REMEX_PROXY_SSH_MAX_OPEN_CONNECTIONS: '9', REMEX_PROXY_SSH_MAX_SESSIONS_PER_CONNECTION: '3' },
    });
    expect(warm).toMatchObject({ sshConnectionIdleTimeout: 2.5, sshMaxOpenConnections: 9, sshMaxSessionsPerConnection: 3 });
    expect(loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't' } })).toMatchObject({ asyncSsh: false, runnerRefreshInterval: 1 });
    expect(loadProxyConfig({ file: file('token: x\nasync_ssh: true\nrunner_refresh_interval: 0.5'), env: {} })).toMatchObject({ asyncSsh: true, runnerRefreshInterval: 0.5 });
    expect(loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_ASYNC_SSH: 'true', REMEX_PROXY_RUNNER_REFRESH_INTERVAL: '5' } })).toMatchObject({ asyncSsh: true, runnerRefreshInterval: 5 });
    expect(loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't' } }).sshWorkerThreads).toBe(defaultSshWorkerThreads());
    expect(defaultSshWorkerThreads()).toBe(Math.max(0, Math.min(4, availableParallelism() - 1)));
    expect(loadProxyConfig({ file: file('token: x\nssh_worker_threads: 3'), env: {} }).sshWorkerThreads).toBe(3);
    expect(loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_WORKER_THREADS: '0' } }).sshWorkerThreads).toBe(0);
  });

  it('refuses bad input with clear messages', () => {
    expect(() => loadProxyConfig({ env: {} })).toThrow(/needs a token/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_MAX_SESSIONS: 'many' } })).toThrow(InputError);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_LISTEN: 'nope' } })).toThrow(/expected host:port/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_MAX_HANDSHAKES: '0' } })).toThrow(/ssh_max_handshakes must be an integer ≥ 1/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_CONNECTION_IDLE_TIMEOUT: '-1' } })).toThrow(/ssh_connection_idle_timeout must be between 0 and 86400/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_MAX_OPEN_CONNECTIONS: '0' } })).toThrow(/ssh_max_open_connections must be an integer ≥ 1/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_MAX_SESSIONS_PER_CONNECTION: '1.5' } })).toThrow(/ssh_max_sessions_per_connection must be an integer ≥ 1/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_TRANSPORT: 'libssh' } })).toThrow(/ssh_transport must be one of ssh2, openssh, got 'libssh'/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_KERBEROS_AUTH: 'maybe' } })).toThrow(/REMEX_PROXY_KERBEROS_AUTH 'maybe': expected true or false/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_ASYNC_SSH: 'maybe' } })).toThrow(/REMEX_PROXY_ASYNC_SSH 'maybe': expected true or false/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_RUNNER_REFRESH_INTERVAL: '0' } })).toThrow(/runner_refresh_interval must be between 0.1 and 3600 seconds, got 0/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_WORKER_THREADS: '-1' } })).toThrow(/ssh_worker_threads must be an integer ≥ 0, got -1/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_WORKER_THREADS: '1.5' } })).toThrow(/ssh_worker_threads must be an integer ≥ 0/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_PROXY_SSH_WORKER_THREADS: '65' } })).toThrow(/ssh_worker_threads must be ≤ 64, got 65/);
    expect(() => loadProxyConfig({ file: file('tokn: x'), env: {} })).toThrow(/Unknown key 'tokn'/);
    expect(() => loadProxyConfig({ file: '/nonexistent/proxy.yml', env: {} })).toThrow(/Cannot read proxy config file/);
    expect(() => loadProxyConfig({ env: { REMEX_PROXY_TOKEN: 't', REMEX_SERVER_URL: 'ftp://x' } })).toThrow(/http or https/);
  });
});
