/**
 * @module
 * Password and key-passphrase answers for the system `ssh` without writing them to disk: a
 * static `SSH_ASKPASS` helper script reads one line from a named pipe (FIFO) in the transport's
 * private (0700) directory. The proxy creates the pipe per master connection, writes the secret
 * into it (kernel pipe buffer only), and removes the pipe as soon as the connection attempt
 * ended. The secret is never in ssh's environment or command line, so the long-lived master
 * process (ControlPersist) holds no copy of it either.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The helper: answers passphrase prompts from `passphrase`, every other prompt from `password`. */
const HELPER = `#!/bin/sh
# Remex SSH_ASKPASS helper: one line from a named pipe the proxy fills (never a file on disk).
case "$1" in
  *assphrase*) f="$REMEX_ASKPASS_DIR/passphrase" ;;
  *) f="$REMEX_ASKPASS_DIR/password" ;;
esac
[ -p "$f" ] || exit 1
IFS= read -r line < "$f" || exit 1
printf '%s\\n' "$line"
`;

/** How many times a secret is offered (password, then keyboard-interactive, one spare). */
const ANSWERS = 3;

/** Writes the helper script into `dir` (0700) and returns its path. */
export function installAskpassHelper(dir: string): string {
  const path = join(dir, 'askpass.sh');
  writeFileSync(path, HELPER, { mode: 0o700 });
  return path;
}

/** Secrets offered to one master connection attempt. */
export class AskpassSecrets {
  readonly dir: string;
  readonly #fds: number[] = [];

  /**
   * @param dir - a fresh directory for the pipes, inside the transport's private directory
   * @param secrets - the answers; an absent one gets no pipe (the helper then fails the prompt)
   */
  constructor(dir: string, secrets: { password?: string | undefined; passphrase?: string | undefined }) {
    this.dir = dir;
    mkdirSync(dir, { mode: 0o700 });
    try {
      for (const [name, secret] of [
        ['password', secrets.password],
        ['passphrase', secrets.passphrase],
      ] as const) {
        if (secret === undefined) continue;
        const fifo = join(dir, name);
        execFileSync('mkfifo', ['-m', '600', fifo]);
        // Read-write and non-blocking: opens without a reader, the data waits in the pipe buffer.
        const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
        this.#fds.push(fd);
        const line = `${secret.replace(/[\r\n].*$/s, '')}\n`;
        writeSync(fd, line.repeat(ANSWERS));
      }
    } catch (e: unknown) {
      this.dispose();
      throw e;
    }
  }

  /** Drops unread answers and removes the pipes. Idempotent. */
  dispose(): void {
    for (const fd of this.#fds.splice(0)) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
