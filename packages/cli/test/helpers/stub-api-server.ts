/**
 * @module
 * A small real HTTP server standing in for the Remex API in protocol tests of the CLI (SSE,
 * polling, errors), one per test: {@link useStubApiServer} registers its clean-up.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { afterEach } from 'vitest';

import { ApiClient } from '../../src/http/api-client.ts';

/** Answers one request of the stub server. */
export type StubHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Registers an `afterEach` that closes the stub server, and returns `serve(handler)`, which
 * starts one on a free loopback port and gives an API client pointed at it.
 */
export function useStubApiServer(): (handler: StubHandler) => Promise<ApiClient> {
  let server: Server | undefined;
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  });
  return async (handler) => {
    const s = createServer(handler);
    server = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const address = s.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new ApiClient({ url: `http://127.0.0.1:${port}`, username: 'admin', password: 'pw' });
  };
}
