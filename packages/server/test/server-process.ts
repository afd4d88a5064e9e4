/**
 * @module
 * Test helper run as a child process (`child_process.fork` with `--import tsx`): starts a real
 * Remex server from the environment it was given (`DATABASE_URL`, `REMEX_PORT=0`,
 * `REMEX_SECRET_KEY`, …) and talks to its parent over IPC:
 *
 * - sends `{type:'ready', url, pid}` once listening;
 * - answers `{type:'issue', name}` with `{type:'issued', credential}` and
 *   `{type:'register', name, url}` with `{type:'registered'}` (`{type:'error', message}` on failure);
 * - stops on `{type:'stop'}` (then exits 0), and exits when the parent goes away.
 */
import { loadServerConfig, startServer } from '../src/index.ts';

type ParentMessage = { type: 'issue'; name: string } | { type: 'register'; name: string; url: string } | { type: 'stop' };

function send(message: unknown): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('server-process.ts must be started with an IPC channel (child_process.fork)');
  const server = await startServer(loadServerConfig(process.env));
  process.on('message', (m: ParentMessage) => {
    const fail = (e: unknown) => send({ type: 'error', message: String(e) });
    if (m.type === 'issue') server.issueProxyCredential(m.name).then((credential) => send({ type: 'issued', credential }), fail);
    else if (m.type === 'register') server.registerProxy(m.name, m.url).then(() => send({ type: 'registered' }), fail);
    else if (m.type === 'stop') void server.stop().finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url: server.url, pid: process.pid });
}

main().catch((e: unknown) => {
  send({ type: 'error', message: String(e) });
  process.exit(1);
});
