/**
 * @module
 * The ssh2 transport in worker threads (ADR 0025).
 */
export { SshWorkerTransport, type SshWorkerTransportOptions } from './ssh-worker-transport.ts';
