/**
 * @module
 * Assembles and starts a proxy: database, SSH key, transport, outbox, task runner and HTTP API.
 */
import type { AddressInfo } from 'node:net';

import { coerceError, parseProxyCredential, type TransportName } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ProxyConfig } from './config/proxy-config.ts';
import { openProxyDatabase } from './db/proxy-database.ts';
import { buildProxyApp } from './http/proxy-app.ts';
import { loadOrCreateKeyPair } from './keys/ssh-key-pair.ts';
import { createProxyLogger, type ProxyLogger } from './logger.ts';
import { EventDelivery } from './outbox/event-delivery.ts';
import { EventOutbox } from './outbox/event-outbox.ts';
import { OutboxStore } from './outbox/outbox-store.ts';
import { ProviderRegistry } from './providers/provider-registry.ts';
import { ScriptProvider } from './providers/script/index.ts';
import { TaskRunner } from './tasks/task-runner.ts';
import { TaskStore } from './tasks/task-store.ts';
import { HostKeyStore, hostKeyId } from './transport/host-key-store.ts';
import { OpensshTransport } from './transport/openssh/index.ts';
import { SshTransport } from './transport/ssh/index.ts';
import { SshWorkerTransport } from './transport/ssh-worker/index.ts';
import type { Transport } from './transport/transport.ts';
import { TransportSelector } from './transport/transport-selector.ts';
import { loadProxyTls } from './tls/proxy-tls.ts';

/** A started proxy. */
export interface RunningProxy {
  /** Base URL of its API, e.g. `https://127.0.0.1:8443` (`http://…` with `plainHttp`). */
  url: string;
  /** SHA-256 fingerprint of its HTTPS certificate; `null` over plain HTTP. */
  tlsFingerprint: string | null;
  /** Its configured name. */
  name: string;
  /** Its public SSH key (one authorized_keys line). */
  publicKey: string;
  /**
   * Stops: closes the HTTP API, ends running tasks (`EXCEPTION`, their SSH sessions close;
   * queued tasks stay queued for the next start), flushes the outbox and tries for up to 5 s to
   * deliver what is left, closes SSH connections and the database. Leaves no timers.
   */
  stop(): Promise<void>;
}

/** Extra knobs of {@link startProxy}, mostly for embedding and tests. */
export interface StartProxyOptions {
  /** Logger to use instead of a new pino logger at `config.logLevel`. */
  logger?: ProxyLogger;
  /** How long `stop()` keeps delivering events, in ms. (Default: `5000`.) */
  stopDrainTimeoutMs?: number;
}

/**
 * Starts a proxy with `config` and resolves once it listens.
 * @example
 * ```ts
 * const proxy = await startProxy(loadProxyConfig({ file: 'proxy.yml' }));
 * console.log(proxy.url, proxy.publicKey);
 * await proxy.stop();
 * ```
 */
export async function startProxy(config: ProxyConfig, options: StartProxyOptions = {}): Promise<RunningProxy> {
  // Refuses a malformed credential (e.g. an old shared token) before opening anything.
  const credential = parseProxyCredential(config.token);
  const logger = options.logger ?? createProxyLogger(config.logLevel, config.name);
  const db = openProxyDatabase(config.dataDir);
  const closers: (() => Promise<void> | void)[] = [
    () => {
      db.close();
    },
  ];
  try {
    const tls = loadProxyTls(config);
    const keyPair = loadOrCreateKeyPair({
      identityKeyFile: config.sshIdentityKeyFile,
      dataDir: config.dataDir,
      comment: `remex-proxy@${config.name}`,
    });
    const hostKeys = new HostKeyStore(db);
    const ssh2Options = {
      privateKey: keyPair.privateKey,
      hostKeys,
      connectTimeoutSeconds: config.sshConnectTimeout,
      maxConcurrentHandshakes: config.sshMaxHandshakes,
      connectionIdleTimeoutSeconds: config.sshConnectionIdleTimeout,
      maxOpenConnections: config.sshMaxOpenConnections,
      maxChannelsPerConnection: config.sshMaxSessionsPerConnection,
    };
    const ssh2: Transport =
      config.sshWorkerThreads > 0
        ? new SshWorkerTransport({
            ...ssh2Options,
            threads: config.sshWorkerThreads,
            onWorkerError: (e) => logger.error({ err: coerceError(e) }, 'an SSH worker thread failed; its running tasks failed and a new thread takes its hosts'),
          })
        : new SshTransport(ssh2Options);
    const openssh = new OpensshTransport({
      privateKeyFile: keyPair.privateKeyFile,
      hostKeys,
      dataDir: config.dataDir,
      connectTimeoutSeconds: config.sshConnectTimeout,
      connectionIdleTimeoutSeconds: config.sshConnectionIdleTimeout,
      maxOpenConnections: config.sshMaxOpenConnections,
      maxChannelsPerConnection: config.sshMaxSessionsPerConnection,
      kerberos: config.kerberosAuth,
    });
    const transport = new TransportSelector(
      new Map<TransportName, Transport>([
        ['ssh2', ssh2],
        ['openssh', openssh],
      ]),
      config.sshTransport,
    );
    closers.unshift(() => transport.close());
    const outboxStore = new OutboxStore(db);
    const delivery = new EventDelivery({
      store: outboxStore,
      serverUrl: config.serverUrl,
      credential,
      proxyName: config.name,
      batchSize: config.deliveryBatchSize,
      batchBytes: config.deliveryBatchBytes,
      maxBackoffMs: config.deliveryMaxBackoffMs,
      logger: logger.child({ component: 'delivery' }),
    });
    const outbox = new EventOutbox(outboxStore, {
      onFlushed: () => delivery.notify(),
      onError: (e: unknown) => logger.error({ err: coerceError(e) }, 'cannot write events to the outbox; retrying'),
    });
    const providers = new ProviderRegistry([new ScriptProvider({ asyncSsh: config.asyncSsh, refreshMs: config.runnerRefreshInterval * 1000 })]);
    const runner = new TaskRunner({
      store: new TaskStore(db),
      outbox,
      providers,
      transport,
      maxConcurrent: config.maxConcurrentSessions,
      logger,
    });
    closers.unshift(
      () => runner.stop(),
      () => outbox.close(),
      () => delivery.stop(options.stopDrainTimeoutMs ?? 5000),
    );
    const recovered = runner.recover();
    if (recovered.failed + recovered.requeued + recovered.resumed > 0) logger.warn(recovered, 'settled tasks left by the previous run');
    delivery.start();

    const app: FastifyInstance = buildProxyApp({
      name: config.name,
      credential,
      publicKey: keyPair.publicKey,
      providers: providers.names(),
      runner,
      forgetHostKey: (address, port) => hostKeys.forget(hostKeyId(address, port)),
      tlsFingerprint: tls?.fingerprint ?? null,
      bodyLimit: config.bodyLimit,
      logger,
      tls,
    });
    closers.unshift(() => app.close());
    await app.listen({ host: config.listenHost, port: config.listenPort });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `${tls ? 'https' : 'http'}://${host}:${address.port}`;
    logger.info(
      { url, publicKey: keyPair.publicKey, ...(tls ? { tlsCertificate: tls.source, tlsFingerprint: tls.fingerprint, clientCertificates: tls.ca !== undefined } : {}) },
      `Remex proxy ${config.name} listening on ${url}`,
    );
    if (!tls && !isLoopback(address.address)) {
      logger.warn({ url }, 'plain_http: the API listens without TLS on a non-loopback address; launch batches (scripts, passwords) cross the network unencrypted');
    }

    let stopping: Promise<void> | undefined;
    return {
      url,
      name: config.name,
      publicKey: keyPair.publicKey,
      tlsFingerprint: tls?.fingerprint ?? null,
      stop: () => (stopping ??= runClosers(closers, logger)),
    };
  } catch (e: unknown) {
    await runClosers(closers, logger);
    throw e;
  }
}

async function runClosers(closers: readonly (() => Promise<void> | void)[], logger: ProxyLogger): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (e: unknown) {
      logger.error({ err: coerceError(e) }, 'error while stopping the proxy');
    }
  }
}

/** Whether `address` is a loopback address (127/8, ::1, or an IPv4-mapped 127/8). */
function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
