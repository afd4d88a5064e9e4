/**
 * @module
 * The OS users that SSH tests log in as. `scripts/install-test-deps.sh` creates them (keep the
 * names and passwords in sync with it).
 */

/** An OS account used by tests. */
export interface TestUser {
  /** Login name. */
  name: string;
  /** Its password (test-only, known; sshd accepts password authentication for it). */
  password: string;
  /** Its home directory. */
  home: string;
}

/**
 * The unprivileged SSH test user: shell `/bin/sh`, unlocked with a known password, passwordless
 * `sudo` (`/etc/sudoers.d/remex-test`). Fleets log in as this user.
 */
export const TEST_USER: TestUser = Object.freeze({
  name: 'remex-test',
  password: 'remex-test-pw',
  home: '/home/remex-test',
});

/**
 * A second unprivileged user, the target of effective-user tests (`sudo -u remex-other`). It may
 * run commands as {@link TEST_USER} with `sudo` after giving its own password
 * (`/etc/sudoers.d/remex-test-password`), for effective-user password tests.
 */
export const OTHER_USER: TestUser = Object.freeze({
  name: 'remex-other',
  password: 'remex-other-pw',
  home: '/home/remex-other',
});
