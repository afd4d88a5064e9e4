/**
 * @module
 * The OpenSSH transport folder's door.
 */
export { opensshConnectError } from './openssh-errors.ts';
export { OpensshTransport, type OpensshTransportOptions } from './openssh-transport.ts';
