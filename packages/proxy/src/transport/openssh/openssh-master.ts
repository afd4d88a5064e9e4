/**
 * @module
 * One OpenSSH master connection (`ControlMaster`): its control socket, the known_hosts file it
 * was checked against, and how many tasks lease it. Commands run as `ssh -S <socket>` clients.
 */
import type { TransportTarget } from '../transport.ts';

/** A master connection as the transport tracks it. */
export interface OpensshMaster {
  /** Identity (host, address, port, user, keyed hash of the secrets): only tasks with the same one use it. */
  readonly identity: string;
  /** Path of the control socket. */
  readonly controlPath: string;
  /** The known_hosts file (one line, alias `remex-target`) the connection was verified against. */
  readonly knownHostsFile: string;
  /** Where it goes, without secrets. */
  readonly target: TransportTarget;
  /** Base64 host key the connection was verified with. */
  hostKey: string;
  /** Tasks holding it. */
  leases: number;
  /** No new leases (a task closed it, or it was found dead); it exits when its last lease ends. */
  retired: boolean;
  /** When its last lease ended (ms since the epoch), for closing the least recently used first. */
  idleSince?: number;
}
