/**
 * @module
 * The inside of a `remex up` child (see `child-entry.ts`): waits for its {@link StartMessage},
 * starts the server or the embedded proxy, reports ready (or failed), serves the supervisor's
 * requests, and stops on `{type:'stop'}`, on SIGTERM, or when the supervisor goes away (the IPC
 * channel closes: if `remex up` is killed, its children do not outlive it).
 *
 * Safety net (`safety-net.ts`): an uncaught exception or unhandled rejection is logged with its
 * stack and the process exits with code 70, so that the supervisor restarts a fresh process.
 * SIGINT is ignored: Ctrl-C reaches the whole process group, and the supervisor stops the
 * children itself, proxy first.
 */
import { coerceError } from '@remex/common';
import type { ProxyConfig } from '@remex/proxy';

import { type ChildMessage, isSupervisorMessage, type ProxyStart, type RegisterProxyRequest, type ServerStart, type StartMessage } from './ipc-messages.ts';
import { installSafetyNet } from './safety-net.ts';

/** How long a child may take to stop before it exits anyway. */
const STOP_DEADLINE_MS = 20_000;

interface Started {
  stop(): Promise<void>;
  registerProxy?: (name: string, url: string) => Promise<void>;
}

let label = 'remex up child';
let started: Promise<Started | undefined> = Promise.resolve(undefined);
let stopping = false;

function send(message: ChildMessage, then?: () => void): void {
  if (process.connected && process.send) process.send(message, undefined, {}, () => then?.());
  else then?.();
}

/** Stops what runs (after a start in progress finished) and exits 0; at most once. */
async function stopAndExit(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    process.stderr.write(`${label} (pid ${process.pid}): did not stop within ${STOP_DEADLINE_MS / 1000} s, exiting\n`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  try {
    const running = await started.catch(() => undefined);
    await running?.stop();
  } catch (e: unknown) {
    process.stderr.write(`${label} (pid ${process.pid}): error while stopping: ${coerceError(e).message}\n`);
  }
  process.exit(0);
}

async function startServerChild(m: ServerStart): Promise<Started> {
  const { loadServerConfig, startServer } = await import('@remex/server');
  const server = await startServer(loadServerConfig(process.env, m.port === undefined ? {} : { port: m.port }));
  const proxyCredential = m.issueProxyCredential === undefined ? null : await server.issueProxyCredential(m.issueProxyCredential);
  send({ type: 'ready', role: 'server', pid: process.pid, url: server.url, dataDir: server.dataDir, proxyCredential, generatedAdminPassword: server.generatedAdminPassword });
  return server;
}

async function startProxyChild(m: ProxyStart): Promise<Started> {
  const { loadProxyConfig, startProxy } = await import('@remex/proxy');
  const overrides: Partial<ProxyConfig> = { name: m.name, serverUrl: m.serverUrl, token: m.token, dataDir: m.dataDir, listenPort: m.listenPort };
  // The embedded proxy talks to its own server over loopback: plain HTTP unless
  // REMEX_PROXY_PLAIN_HTTP=false asks for HTTPS (ADR 0018).
  if (process.env.REMEX_PROXY_PLAIN_HTTP === undefined) overrides.plainHttp = true;
  // One log level for the whole stack unless the proxy's own variable says otherwise.
  const level = process.env.REMEX_LOG_LEVEL;
  if (!process.env.REMEX_PROXY_LOG_LEVEL && level) overrides.logLevel = level as ProxyConfig['logLevel'];
  const proxy = await startProxy(loadProxyConfig({ env: process.env, overrides }));
  send({ type: 'ready', role: 'proxy', pid: process.pid, url: proxy.url, name: proxy.name, publicKey: proxy.publicKey });
  return proxy;
}

function onStart(m: StartMessage): void {
  label = m.role === 'server' ? 'remex server' : 'remex embedded proxy';
  started = m.role === 'server' ? startServerChild(m) : startProxyChild(m);
  started.catch((e: unknown) => {
    const err = coerceError(e);
    stopping = true;
    // Exit once the message went out.
    send({ type: 'failed', name: err.name, message: err.message }, () => process.exit(1));
  });
}

async function onRegister(m: RegisterProxyRequest): Promise<void> {
  try {
    const running = await started;
    if (!running?.registerProxy) throw new Error('this child is not the server');
    await running.registerProxy(m.name, m.url);
    send({ type: 'reply', id: m.id });
  } catch (e: unknown) {
    send({ type: 'reply', id: m.id, error: coerceError(e).message });
  }
}

/** Runs the child until stopped; refuses to run without an IPC channel (it is not a user command). */
export function runChild(): void {
  if (!process.send) {
    process.stderr.write('this is an internal entry point of `remex up`; run `remex up` instead\n');
    process.exitCode = 2;
    return;
  }
  installSafetyNet(() => label);
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void stopAndExit());
  process.on('disconnect', () => void stopAndExit());
  process.on('message', (m: unknown) => {
    if (!isSupervisorMessage(m)) return;
    if (m.type === 'start') onStart(m);
    else if (m.type === 'register-proxy') void onRegister(m);
    else if (m.type === 'ping') send({ type: 'reply', id: m.id });
    else void stopAndExit();
  });
}

