/**
 * @module
 * The `remex proxy` process: `--config FILE` (optional; env vars work alone), starts the proxy,
 * stops it cleanly on SIGINT/SIGTERM.
 */
import { InputError, waitForStopSignal } from '@remex/common';

import { loadProxyConfig } from './config/load-proxy-config.ts';
import { startProxy } from './start-proxy.ts';

/** Usage text of {@link runProxyMain}: every key of the config file and its variable. */
export const PROXY_USAGE = `Usage: remex proxy [--config FILE]
       remex proxy cert --dir DIR --proxy NAME=HOST[,HOST…] …   (a CA and certificates, see --help)

Runs a Remex execution proxy. Settings, lowest priority first: defaults, FILE (YAML; relative
paths resolve against its directory; unknown keys are an error), the environment.

  YAML key                          environment                                  default
  name                              REMEX_PROXY_NAME                             host name
  listen (host:port)                REMEX_PROXY_LISTEN                           127.0.0.1:8443
  port                              REMEX_PROXY_PORT                             8443 (3001 with plain_http)
  server_url                        REMEX_SERVER_URL                             http://127.0.0.1:3000
  token (required: the credential)  REMEX_PROXY_TOKEN                            —
  data_dir                          REMEX_PROXY_DATA_DIR                         ./data/proxy
  tls_cert_file, tls_key_file       REMEX_PROXY_TLS_CERT_FILE, …_TLS_KEY_FILE    made on first start in data_dir/tls
  tls_client_ca_file                REMEX_PROXY_TLS_CLIENT_CA_FILE               — (no client certificates asked)
  plain_http (no TLS)               REMEX_PROXY_PLAIN_HTTP                       false
  max_concurrent_sessions           REMEX_PROXY_MAX_SESSIONS                     200
  ssh_identity_key_file             REMEX_PROXY_SSH_IDENTITY_KEY_FILE            made in data_dir/ssh
  remote_working_dir                REMEX_PROXY_REMOTE_WORKING_DIR               /var/tmp
  ssh_connect_timeout (s)           REMEX_PROXY_SSH_CONNECT_TIMEOUT              30
  ssh_max_handshakes                REMEX_PROXY_SSH_MAX_HANDSHAKES               — (no limit)
  ssh_connection_idle_timeout (s)   REMEX_PROXY_SSH_CONNECTION_IDLE_TIMEOUT      60
  ssh_max_open_connections          REMEX_PROXY_SSH_MAX_OPEN_CONNECTIONS         1000
  ssh_max_sessions_per_connection   REMEX_PROXY_SSH_MAX_SESSIONS_PER_CONNECTION  10
  ssh_worker_threads (0: none)      REMEX_PROXY_SSH_WORKER_THREADS               cores − 1, at most 4
  ssh_transport (ssh2|openssh)      REMEX_PROXY_SSH_TRANSPORT                    ssh2
  kerberos_auth (openssh only)      REMEX_PROXY_KERBEROS_AUTH                    false
  async_ssh (detached scripts)      REMEX_PROXY_ASYNC_SSH                        false
  runner_refresh_interval (s)       REMEX_PROXY_RUNNER_REFRESH_INTERVAL          1
  log_level                         REMEX_PROXY_LOG_LEVEL                        info
  body_limit (bytes)                —                                            268435456
  delivery_batch_size               —                                            5000
  delivery_batch_bytes              —                                            921600
  delivery_max_backoff_ms           —                                            10000

The proxy listens on HTTPS and logs its certificate's SHA-256 fingerprint; the server pins the
certificate at registration (or trusts REMEX_PROXY_CA_FILE). packages/proxy/README.md explains
each key.`;

/**
 * Parses `argv` (the arguments after the command name), starts the proxy and resolves once it
 * was stopped by SIGINT or SIGTERM.
 * @throws InputError on bad arguments or configuration
 */
export async function runProxyMain(argv: readonly string[]): Promise<void> {
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${PROXY_USAGE}\n`);
      return;
    }
    if (arg === '--config' || arg === '-c') {
      file = argv[++i];
      if (file === undefined) throw new InputError('--config needs a file name');
    } else if (arg.startsWith('--config=')) {
      file = arg.slice('--config='.length);
    } else {
      throw new InputError(`Unknown argument '${arg}'\n${PROXY_USAGE}`);
    }
  }
  const proxy = await startProxy(loadProxyConfig({ file }));
  await waitForStopSignal();
  await proxy.stop();
}
