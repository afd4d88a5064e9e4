/**
 * @module
 * `remex up`: a supervisor process that runs the server and the embedded proxy as two child
 * processes (`child-entry.ts`, forked with an IPC channel), restarts a crashed one with a backoff
 * ({@link RestartPolicy}), registers the proxy with the server (again after either restarts),
 * and on SIGINT/SIGTERM stops the proxy first, then the server; a second signal kills them.
 *
 * Sequence: fork server → `{type:'start',role:'server'}` → server `{type:'ready',url,proxyCredential,…}`
 * → fork proxy → {@link embeddedProxyStart} → proxy `{type:'ready',url,publicKey,…}` →
 * server `{type:'register-proxy',id,name,url}` → `{type:'reply',id}`. A restart keeps the port
 * its child got at the first start (so `REMEX_PORT=0` keeps one URL).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { InputError } from '@remex/common';

import type { CliIo, TextSink } from '../../../cli/cli-io.ts';
import { prettyLogSink, wantsPrettyLogs } from '../../../output/pretty-log.ts';
import type { CommandContext } from '../../shared/command-context.ts';
import { readyBannerLines } from '../ready-banner.ts';
import type { ProxyReady, ProxyStart, ReadyMessage, ServerReady } from './ipc-messages.ts';
import { MEMORY_NODE_FLAGS, memoryEnv } from './memory-flags.ts';
import { SupervisedChild } from './supervised-child.ts';

/** Name under which the embedded proxy registers. */
export const EMBEDDED_PROXY_NAME = 'embedded';

/** Default heap cap of the server child, in MB (`REMEX_SERVER_MAX_HEAP_MB`). */
export const DEFAULT_SERVER_HEAP_MB = 2048;

/** Default of `REMEX_HANG_TIMEOUT_S`. */
export const DEFAULT_HANG_TIMEOUT_S = 60;

/**
 * Parses `REMEX_HANG_TIMEOUT_S`: a child that answered no ping for that long (a blocked event
 * loop) is killed and restarted; pings go every 5 s (more often for short timeouts).
 * @param value - the variable's value
 */
export function heartbeatOf(value: string | undefined): { intervalMs: number; timeoutMs: number } {
  let seconds = DEFAULT_HANG_TIMEOUT_S;
  if (value !== undefined && value !== '') {
    seconds = Number(value);
    if (!/^\d+$/.test(value) || seconds < 2 || seconds > 86_400) throw new InputError(`REMEX_HANG_TIMEOUT_S must be a number of seconds from 2 (got "${value}")`);
  }
  const timeoutMs = seconds * 1000;
  return { intervalMs: Math.min(5000, timeoutMs / 4), timeoutMs };
}

/** True when this runs from the built bundle (`packages/cli/dist`, see scripts/build-cli.ts), not the sources. */
const BUILT = !import.meta.url.endsWith('.ts');
/** The children's entry: the sources' `child-entry.ts` (through tsx), or the bundle's `child-entry.js` (its chunks sit in `dist/chunks/`). */
const CHILD_ENTRY = fileURLToPath(new URL(BUILT ? '../child-entry.js' : './child-entry.ts', import.meta.url));

/**
 * Parses `REMEX_SERVER_MAX_HEAP_MB`, the server child's `--max-old-space-size` (a runaway render
 * then kills that child, which is restarted, instead of exhausting the machine).
 * @param value - the variable's value
 */
export function serverHeapMbOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SERVER_HEAP_MB;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 64 || n > 1_048_576) throw new InputError(`REMEX_SERVER_MAX_HEAP_MB must be a number of MB from 64 (got "${value}")`);
  return n;
}

/**
 * The credential hand-over, in one place: what the embedded proxy child is started with, from
 * what the server child reported when it became ready.
 * @param server - the server's ready message
 * @param listenPort - the proxy's port (0: a free one)
 */
export function embeddedProxyStart(server: ServerReady, credential: string, listenPort: number): ProxyStart {
  return { type: 'start', role: 'proxy', name: EMBEDDED_PROXY_NAME, serverUrl: server.url, token: credential, dataDir: path.join(server.dataDir, 'proxy'), listenPort };
}

/** Forks a child of `remex up` (with the memory settings of ADR 0027): built JavaScript as is, the sources through tsx. */
function forkChild(io: CliIo, nodeFlags: readonly string[]): ChildProcess {
  const loader = BUILT ? [] : ['--conditions=source', '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
  return fork(CHILD_ENTRY, [], {
    cwd: io.cwd,
    env: memoryEnv(io.env),
    execArgv: [...loader, ...MEMORY_NODE_FLAGS, ...nodeFlags],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function asRole<R extends ReadyMessage['role']>(ready: ReadyMessage, role: R): Extract<ReadyMessage, { role: R }> {
  if (ready.role !== role) throw new Error(`expected the ${role} to report ready, got the ${ready.role}`);
  return ready as Extract<ReadyMessage, { role: R }>;
}

/** Stops the children in order; a second stop signal meanwhile kills them. */
async function stopInOrder(ctx: CommandContext, children: readonly SupervisedChild[]): Promise<void> {
  const abort = new AbortController();
  void ctx.io.waitForSecondStop?.(abort.signal).then(() => {
    ctx.warn('remex up: second stop signal, killing the server and the proxy');
    for (const c of children) c.kill();
  });
  try {
    for (const c of children) await c.stop();
  } finally {
    abort.abort();
  }
}

/**
 * Runs `remex up` until the stop signal (`ctx.io.waitForStop()`), supervising both children.
 * @param ctx - command context
 * @param proxyPort - the embedded proxy's port (0: a free one)
 * @throws the start error of a child that could not start, or an Error when a child keeps crashing
 */
export async function runSupervisedUp(ctx: CommandContext, proxyPort: number): Promise<void> {
  const heapMb = serverHeapMbOf(ctx.io.env.REMEX_SERVER_MAX_HEAP_MB);
  const heartbeat = heartbeatOf(ctx.io.env.REMEX_HANG_TIMEOUT_S);
  // Listen for the stop request from the start: a Ctrl-C while the children start (or right
  // after the banner) then stops them cleanly instead of killing the supervisor.
  const stopRequested = ctx.io.waitForStop();
  // The children log JSON lines; on a terminal they are shown in human form (REMEX_LOG_FORMAT).
  const pretty = (sink: TextSink): TextSink => (wantsPrettyLogs(sink, ctx.io.env) ? prettyLogSink(sink) : sink);
  const output = { stdout: pretty(ctx.io.stdout), stderr: pretty(ctx.io.stderr) };
  const log = (line: string): void => ctx.warn(`remex up: ${line}`);
  let serverPort: number | undefined = undefined;
  let serverReady: ServerReady | undefined;
  let proxyReady: ProxyReady | undefined;
  let proxyCredential: string | null = null;
  const registerProxy = async (): Promise<void> => {
    if (proxyReady) await server.request({ type: 'register-proxy', name: proxyReady.name, url: proxyReady.url });
  };
  const server: SupervisedChild = new SupervisedChild({
    label: 'server',
    fork: () => forkChild(ctx.io, [`--max-old-space-size=${heapMb}`]),
    // The first start issues the embedded proxy's credential; a restarted server keeps the one
    // the running proxy holds (registered, so re-registration proves it again).
    startMessage: () => (serverPort === undefined ? { type: 'start', role: 'server', issueProxyCredential: EMBEDDED_PROXY_NAME } : { type: 'start', role: 'server', port: serverPort }),
    output,
    log,
    heartbeat,
    onRestarted: async (ready) => {
      serverReady = asRole(ready, 'server');
      await registerProxy();
      if (proxyReady) log(`embedded proxy registered again at ${proxyReady.url}`);
    },
  });
  const proxy = new SupervisedChild({
    label: 'embedded proxy',
    fork: () => forkChild(ctx.io, []),
    startMessage: () => {
      if (!serverReady || proxyCredential === null) throw new Error('the embedded proxy needs the server and its credential first');
      return embeddedProxyStart(serverReady, proxyCredential, proxyReady ? portOf(proxyReady.url) : proxyPort);
    },
    output,
    log,
    heartbeat,
    onRestarted: async (ready) => {
      proxyReady = asRole(ready, 'proxy');
      await registerProxy();
      log(`embedded proxy registered again at ${proxyReady.url}`);
    },
  });

  serverReady = asRole(await server.start(), 'server');
  serverPort = portOf(serverReady.url);
  proxyCredential = serverReady.proxyCredential;
  try {
    proxyReady = asRole(await proxy.start(), 'proxy');
    await registerProxy();
  } catch (e: unknown) {
    await stopInOrder(ctx, [proxy, server]);
    throw e;
  }
  const banner = readyBannerLines({
    url: serverReady.url,
    generatedAdminPassword: serverReady.generatedAdminPassword,
    details: [
      `Embedded proxy ${proxyReady.name} listening on ${proxyReady.url}`,
      `Proxy SSH public key (add it to the hosts' authorized_keys): ${proxyReady.publicKey}`,
      `Supervisor pid ${process.pid}: server pid ${server.pid ?? '?'}, embedded proxy pid ${proxy.pid ?? '?'} (restarted if they crash)`,
    ],
  });
  for (const line of banner) ctx.say(line);

  const gaveUp = await Promise.race([stopRequested.then(() => undefined), server.gaveUp, proxy.gaveUp]);
  ctx.say('Stopping…');
  await stopInOrder(ctx, [proxy, server]);
  if (gaveUp) throw gaveUp;
}
