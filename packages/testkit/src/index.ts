/**
 * @module
 * `@remex/testkit` (private, tests only): real OpenSSH servers and fleets of loopback hosts,
 * fresh SQLite/PostgreSQL test databases, test users, ports and temp dirs.
 * See this package's README for how the sshd is configured.
 */
export { type Dialect, DIALECTS, parseDialects } from './database/dialects.ts';
export {
  createTestDatabase,
  type CreateTestDatabaseOptions,
  DEFAULT_POSTGRES_ADMIN_URL,
  postgresAdminUrl,
  postgresAvailable,
  sqliteFilePath,
  type TestDatabase,
} from './database/test-database.ts';
export { type TempDir, tempDir } from './fs/temp-dir.ts';
export { freePort } from './net/free-port.ts';
export { seededRandom } from './random/seeded-random.ts';
export { QUARANTINE, type QuarantineEntry, quarantined } from './run/quarantine.ts';
export {
  createRunLedger,
  MAX_REBUILDS_PER_RUN,
  rebuildProblem,
  rebuildsIn,
  recordRebuild,
  removeRunLedger,
  RUN_LEDGER_KEY,
} from './run/run-ledger.ts';
export { signedPost, type StandInAnswer, type StandInProxy, type StandInRequest, startStandInProxy } from './proxy/stand-in-proxy.ts';
export { fleetAddress, UNREACHABLE_NETWORK, unreachableAddress } from './net/loopback-addresses.ts';
export {
  type FleetHost,
  fleetHostName,
  type SshFleet,
  startSshFleet,
  type StartSshFleetOptions,
} from './sshd/ssh-fleet.ts';
export { fleetImportHosts, fleetImportYaml, fleetParameters } from './sshd/fleet-inventory.ts';
export { type Kdc, kerberosAvailable, startKdc } from './kerberos/kdc.ts';
export { SSHD_BINARY, type Sshd, startSshd, type StartSshdOptions } from './sshd/sshd-server.ts';
export { OTHER_USER, TEST_USER, type TestUser } from './users/test-users.ts';
