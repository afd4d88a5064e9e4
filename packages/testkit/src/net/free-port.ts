/**
 * @module
 * Free TCP ports on this machine.
 */
import { createServer } from 'node:net';

/**
 * Returns a TCP port that was free on `0.0.0.0` a moment ago (the kernel picks it). Another
 * process may take it before you bind it: servers started on it should retry on `EADDRINUSE`
 * (`startSshd` does).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('freePort: no port assigned'))));
    });
  });
}
