/**
 * @module
 * Loopback addresses for simulated hosts. On Linux the whole 127.0.0.0/8 block is local, so a
 * server listening on `0.0.0.0` answers on every 127.x.y.z address: fleet hosts are just
 * different loopback addresses of one sshd.
 *
 * Fleet hosts use 127.0.1.1 … 127.0.1.254, then 127.0.2.1 …, and so on (second octet grows past
 * 127.0.255.x). Unreachable addresses come from 127.254.0.0/16, which
 * `scripts/install-test-deps.sh` routes as `unreachable` (connect fails with `EHOSTUNREACH`).
 */
import { randomInt } from 'node:crypto';

/** Addresses per /24 used for fleet hosts (.1 … .254). */
const PER_BLOCK = 254;
/** Third-octet values per second-octet value (1 … 255). */
const BLOCKS_PER_SECOND = 255;
/** Second octet of the unreachable range (127.254.0.0/16); fleets stay below it. */
export const UNREACHABLE_SECOND_OCTET = 254;
/** The CIDR routed as unreachable by `scripts/install-test-deps.sh`. */
export const UNREACHABLE_NETWORK = '127.254.0.0/16';

/**
 * Loopback address of the fleet host with 0-based index `index`: 0 → 127.0.1.1, 253 → 127.0.1.254,
 * 254 → 127.0.2.1, 64770 → 127.1.1.1. Throws past 127.253.255.254.
 */
export function fleetAddress(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`fleetAddress: bad index ${index}`);
  const block = Math.floor(index / PER_BLOCK);
  const fourth = (index % PER_BLOCK) + 1;
  const third = (block % BLOCKS_PER_SECOND) + 1;
  const second = Math.floor(block / BLOCKS_PER_SECOND);
  if (second >= UNREACHABLE_SECOND_OCTET) throw new RangeError(`fleetAddress: index ${index} is too large`);
  return `127.${second}.${third}.${fourth}`;
}

/**
 * An unused loopback address (random, in 127.254.0.0/16) for "unreachable host" tests. Nothing
 * answers there: with the route installed by `scripts/install-test-deps.sh`, `connect()` fails at
 * once with `EHOSTUNREACH` on every port, even ports where a server listens on `0.0.0.0`
 * (such as the fleet sshd). Without that route it only refuses ports where nothing listens.
 */
export function unreachableAddress(): string {
  return `127.${UNREACHABLE_SECOND_OCTET}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}
