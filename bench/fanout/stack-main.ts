/**
 * @module
 * Child process of the fan-out benchmark: runs a real Remex server (`stack-main.ts server`) or a
 * real Remex proxy (`stack-main.ts proxy`), so that the parent can measure each one's CPU time
 * from `/proc/<pid>/stat`. Talks to the parent over the Node IPC channel:
 *
 * - server: sends `{type:'ready', url, proxyCredential}` (issued for `bench-proxy`); answers `{type:'registerProxy', name, url}`
 *   with `{type:'registered'}` and `{type:'issueCredential', name}` with `{type:'credential', credential}`;
 * - proxy: reads its settings from `BENCH_PROXY` (JSON), sends `{type:'ready', url, publicKey}`;
 * - both answer `{type:'stats'}` with `{type:'stats', loopDelayMs: {mean, p50, p99, max}}`, the
 *   event-loop delay since the previous `stats` (how long ready callbacks waited);
 * - both stop cleanly on `{type:'stop'}` (then exit 0) and exit when the parent goes away.
 *
 * Both log at `warn`. The server uses SQLite in `BENCH_DATA_DIR`, or `BENCH_DATABASE_URL` when set.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';


import { BENCH_ADMIN_PASSWORD, type BenchProxySettings, type StackParentMessage as ParentMessage } from './stack-protocol.ts';


function send(message: unknown): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const role = process.argv[2];
  const dataDir = process.env.BENCH_DATA_DIR;
  if (!process.send) throw new Error('stack-main.ts must be started with an IPC channel (child_process.fork)');
  let stop: () => Promise<void>;
  let registerProxy: ((name: string, url: string) => Promise<void>) | undefined;
  let issueCredential: ((name: string) => Promise<string>) | undefined;
  if (role === 'server') {
    if (!dataDir) throw new Error('BENCH_DATA_DIR is not set');
    // Each role loads only its own package, as `remex up`'s children do (the other one would
    // count in this process's memory).
    const { loadServerConfig, startServer } = await import('@remex/server');
    const server = await startServer(
      loadServerConfig({
        REMEX_DATA_DIR: dataDir,
        REMEX_PORT: '0',
        REMEX_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
        REMEX_LOG_LEVEL: 'warn',
        ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      }),
    );
    stop = () => server.stop();
    registerProxy = (name, url) => server.registerProxy(name, url);
    issueCredential = (name) => server.issueProxyCredential(name);
    send({ type: 'ready', url: server.url, proxyCredential: await server.issueProxyCredential('bench-proxy') });
  } else if (role === 'proxy') {
    const settings = JSON.parse(process.env.BENCH_PROXY ?? 'null') as BenchProxySettings | null;
    if (!settings) throw new Error('BENCH_PROXY is not set');
    const { loadProxyConfig, startProxy } = await import('@remex/proxy');
    const proxy = await startProxy(
      loadProxyConfig({
        env: {},
        overrides: {
          name: settings.name,
          listenHost: '127.0.0.1',
          listenPort: 0,
          serverUrl: settings.serverUrl,
          token: settings.token,
          dataDir: settings.dataDir,
          maxConcurrentSessions: settings.maxConcurrentSessions,
          sshConnectionIdleTimeout: settings.sshConnectionIdleTimeout,
          ...(settings.sshWorkerThreads === undefined ? {} : { sshWorkerThreads: settings.sshWorkerThreads }),
          logLevel: 'warn',
        },
      }),
    );
    stop = () => proxy.stop();
    send({ type: 'ready', url: proxy.url, publicKey: proxy.publicKey });
  } else {
    throw new Error(`usage: stack-main.ts server|proxy (got '${role ?? ''}')`);
  }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stats') {
      const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
      send({ type: 'stats', loopDelayMs: { mean: ms(loop.mean), p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) } });
      loop.reset();
    } else if (m.type === 'stop') {
      void stop().finally(() => process.exit(0));
    } else if (m.type === 'issueCredential' && issueCredential) {
      issueCredential(m.name).then(
        (credential) => send({ type: 'credential', credential }),
        (e: unknown) => send({ type: 'error', message: String(e) }),
      );
    } else if (m.type === 'registerProxy' && registerProxy) {
      registerProxy(m.name, m.url).then(
        () => send({ type: 'registered' }),
        (e: unknown) => send({ type: 'error', message: String(e) }),
      );
    }
  });
  process.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  console.error(e);
  process.exit(1);
});
