/**
 * @module
 * A fleet of simulated hosts: one real sshd reached through many loopback addresses
 * (127.0.1.1, 127.0.1.2, …), each with its own host name, all logging in as {@link TEST_USER}.
 */
import { fleetAddress } from '../net/loopback-addresses.ts';
import { TEST_USER, type TestUser } from '../users/test-users.ts';
import { type Sshd, startSshd } from './sshd-server.ts';

/** One simulated host. */
export interface FleetHost {
  /** Host name, e.g. `host-001.fleet.test` (not resolvable: connect to `address`). */
  name: string;
  /** Its loopback address, e.g. `127.0.1.1`. */
  address: string;
}

/** A running fleet. */
export interface SshFleet {
  /** The one sshd behind every host. */
  sshd: Sshd;
  /** SSH port of every host (the sshd's port). */
  port: number;
  /** The user to log in as ({@link TEST_USER}). */
  user: TestUser;
  /** The hosts, in address order. */
  hosts: FleetHost[];
  /** Appends an OpenSSH public key line to the authorized keys the sshd uses. */
  authorize(publicKey: string): Promise<void>;
  /** Stops the sshd (see {@link Sshd.stop}). */
  stop(): Promise<void>;
}

/** Options of {@link startSshFleet}. */
export interface StartSshFleetOptions {
  /** Number of hosts. */
  hosts: number;
  /** OpenSSH public key lines to authorize from the start (Default: none). */
  authorizedKeys?: string[];
  /** Host name prefix (Default: `"host"` → `host-001.fleet.test`). */
  namePrefix?: string;
  /** sshd's `MaxSessions`: sessions per connection (OpenSSH's own default is 10). (Default: `1000`.) */
  maxSessions?: number;
}

/** Name of the fleet host with 0-based index `index`: `<prefix>-001.fleet.test` (at least 3 digits). */
export function fleetHostName(index: number, prefix = 'host'): string {
  return `${prefix}-${String(index + 1).padStart(3, '0')}.fleet.test`;
}

/**
 * Starts an sshd and describes `hosts` hosts at 127.0.1.1 … 127.0.1.254, then 127.0.2.1 …
 * (never outside 127.0.0.0/8). Call `stop()` in `afterAll`.
 *
 * @example
 * ```ts
 * const fleet = await startSshFleet({ hosts: 5 });
 * // ssh remex-test@127.0.1.3 -p fleet.port, password TEST_USER.password
 * ```
 */
export async function startSshFleet(options: StartSshFleetOptions): Promise<SshFleet> {
  if (!Number.isInteger(options.hosts) || options.hosts < 0) {
    throw new RangeError(`startSshFleet: hosts must be a non-negative integer, got ${options.hosts}`);
  }
  const hosts: FleetHost[] = [];
  for (let i = 0; i < options.hosts; i++) {
    hosts.push({ name: fleetHostName(i, options.namePrefix), address: fleetAddress(i) });
  }
  const sshd = await startSshd({
    ...(options.authorizedKeys ? { authorizedKeys: options.authorizedKeys } : {}),
    ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
  });
  return {
    sshd,
    port: sshd.port,
    user: TEST_USER,
    hosts,
    authorize: (publicKey) => sshd.authorize(publicKey),
    stop: () => sshd.stop(),
  };
}
