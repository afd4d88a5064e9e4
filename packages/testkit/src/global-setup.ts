/**
 * @module
 * Vitest global setup (root `vitest.config.ts`): makes sure the machine can run the SSH and DB
 * suites before any test starts.
 *
 * - SSH prerequisites (sshd binary, `/run/sshd`, test users, sudoers, unreachable route): when
 *   one is missing and we are root, runs `scripts/install-test-deps.sh`; otherwise warns.
 * - PostgreSQL: when `postgres` is among the requested dialects and the server is unreachable,
 *   throws under `CI` (a CI run must not silently skip PostgreSQL); locally it sets
 *   `REMEX_TEST_DIALECTS=sqlite` and prints a loud warning.
 * - Run ledger: a temp dir provided to the tests (`inject('remexRunLedger')`) where shared test
 *   resources record their rebuilds; the teardown fails the run when there were more than
 *   `MAX_REBUILDS_PER_RUN` (a rebuild that keeps happening hides a defect).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

import { parseDialects } from './database/dialects.ts';
import { postgresAdminUrl, postgresAvailable } from './database/test-database.ts';
import { UNREACHABLE_NETWORK } from './net/loopback-addresses.ts';
import { createRunLedger, RUN_LEDGER_KEY, rebuildProblem, rebuildsIn, removeRunLedger } from './run/run-ledger.ts';
import { SSHD_BINARY } from './sshd/sshd-server.ts';
import { OTHER_USER, TEST_USER } from './users/test-users.ts';

const INSTALL_SCRIPT = fileURLToPath(new URL('../../../scripts/install-test-deps.sh', import.meta.url));

function warn(lines: string[]): void {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}\n\n`);
}

/** What is missing for the SSH suites (empty when all is there). */
export function missingSshPrerequisites(): string[] {
  const missing: string[] = [];
  if (!existsSync(SSHD_BINARY)) missing.push(`${SSHD_BINARY} (openssh-server)`);
  if (!existsSync('/run/sshd')) missing.push('/run/sshd');
  if (!existsSync('/etc/sudoers.d/remex-test')) missing.push('/etc/sudoers.d/remex-test');
  if (!existsSync('/etc/sudoers.d/remex-test-password')) missing.push('/etc/sudoers.d/remex-test-password');
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    // treated as no users
  }
  for (const user of [TEST_USER, OTHER_USER]) {
    if (!passwd.split('\n').some((l) => l.startsWith(`${user.name}:`))) missing.push(`user ${user.name}`);
  }
  try {
    const routes = execFileSync('ip', ['route', 'show', 'table', 'local'], { encoding: 'utf8' });
    if (!routes.includes(`unreachable ${UNREACHABLE_NETWORK}`)) missing.push(`unreachable route ${UNREACHABLE_NETWORK}`);
  } catch {
    missing.push('ip (iproute2)');
  }
  return missing;
}

function ensureSshPrerequisites(): void {
  const missing = missingSshPrerequisites();
  if (missing.length === 0) return;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('bash', [INSTALL_SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'] });
    } catch (e: unknown) {
      throw new Error(`testkit global setup: ${INSTALL_SCRIPT} failed`, { cause: e });
    }
    const still = missingSshPrerequisites().filter((m) => !m.startsWith('unreachable route'));
    if (still.length > 0) throw new Error(`testkit global setup: still missing after install: ${still.join(', ')}`);
    return;
  }
  warn([
    `SSH test prerequisites missing: ${missing.join(', ')}`,
    `Run as root: bash scripts/install-test-deps.sh (SSH suites need root to start sshd).`,
  ]);
}

async function ensurePostgres(): Promise<void> {
  const requested = parseDialects(process.env['REMEX_TEST_DIALECTS']);
  if (!requested.includes('postgres')) return;
  if (await postgresAvailable()) return;
  const where = postgresAdminUrl().replace(/\/\/[^@/]*@/, '//<user>@');
  if (process.env['CI']) {
    throw new Error(
      `testkit global setup: PostgreSQL is not reachable at ${where} and CI is set; ` +
        'start it (see .ci/run) or set DATABASE_URL. CI must not skip the PostgreSQL suites.',
    );
  }
  const only = requested.filter((d) => d !== 'postgres');
  process.env['REMEX_TEST_DIALECTS'] = (only.length > 0 ? only : ['sqlite']).join(',');
  warn([
    `PostgreSQL is NOT reachable at ${where}.`,
    `DB suites run on ${process.env['REMEX_TEST_DIALECTS']} ONLY (REMEX_TEST_DIALECTS). Start PostgreSQL or set`,
    'DATABASE_URL to test PostgreSQL too; under CI this is an error.',
  ]);
}

let ledger: string | undefined;

/** Vitest global setup hook. */
export async function setup(project: TestProject): Promise<void> {
  ensureSshPrerequisites();
  await ensurePostgres();
  ledger = createRunLedger();
  project.provide(RUN_LEDGER_KEY, ledger);
}

/**
 * Vitest global teardown hook: fails the run when shared resources were rebuilt more than
 * `MAX_REBUILDS_PER_RUN` times (each suite stops its own servers and databases).
 */
export function teardown(): void {
  if (ledger === undefined) return;
  const rebuilds = rebuildsIn(ledger);
  removeRunLedger(ledger);
  ledger = undefined;
  if (rebuilds.length > 0) process.stderr.write(`\nfleet-stack rebuilds in this run: ${rebuilds.length}\n`);
  const problem = rebuildProblem(rebuilds);
  if (problem === null) return;
  warn(problem.split('\n'));
  process.exitCode = 1;
  throw new Error(problem);
}
