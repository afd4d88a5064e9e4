/**
 * @module
 * The ssh2 transport folder's door.
 */
export { sshConnectError } from './ssh-errors.ts';
export { SshTransport, type SshTransportOptions } from './ssh-transport.ts';
