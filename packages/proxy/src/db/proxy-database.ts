/**
 * @module
 * The proxy's own SQLite file (`<dataDir>/proxy.sqlite3`, WAL, mode 0600 like its `-wal`/`-shm`
 * files, in a 0700 data dir): accepted tasks, the event
 * outbox and trusted host keys. Numbered migrations, applied in order, never edited once
 * released; `PRAGMA user_version` records how many ran.
 *
 * Tables (all internal to the proxy, none is a contract):
 * - `tasks`: accepted tasks without secrets, their state, the next event sequence number and a
 *   provider's resumable state;
 * - `outbox_events`: events not yet acknowledged by the server, in insertion order;
 * - `host_keys`: trust-on-first-use host keys, keyed `[address]:port`.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

/** The handle type used across the proxy. */
export type ProxyDatabase = Database.Database;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE tasks (
     task_id INTEGER PRIMARY KEY,
     state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done')),
     next_seq INTEGER NOT NULL DEFAULT 1,
     needs_secrets INTEGER NOT NULL DEFAULT 0,
     payload TEXT,
     accepted_at REAL NOT NULL,
     finished_at REAL
   );
   CREATE INDEX tasks_state ON tasks (state) WHERE state <> 'done';
   CREATE TABLE outbox_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     task_id INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     timestamp REAL NOT NULL,
     UNIQUE (task_id, seq)
   );
   CREATE TABLE host_keys (
     host TEXT PRIMARY KEY,
     algorithm TEXT NOT NULL,
     key TEXT NOT NULL,
     added_at REAL NOT NULL
   );`,
  // A provider's resumable state (async SSH: the remote dir and the output offsets read), written
  // in the transaction of the events it accounts for; when the task started running.
  `ALTER TABLE tasks ADD COLUMN provider_state TEXT;
   ALTER TABLE tasks ADD COLUMN started_at REAL;`,
];

/** File name of the database inside the data dir. */
export const PROXY_DATABASE_FILE = 'proxy.sqlite3';

/**
 * Opens (creating when needed) the proxy database in `dataDir` and migrates it.
 * @param dataDir - the proxy's data directory; created when missing
 */
export function openProxyDatabase(dataDir: string): ProxyDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, PROXY_DATABASE_FILE);
  createPrivately(file);
  const db = new Database(file);
  // Finished tasks' payloads (scripts) are zeroed when cleared, not left in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('journal_mode = WAL');
  // NORMAL keeps every committed transaction across a process crash (kill -9); only an OS
  // crash may lose the last transactions, which the server's (task, seq) dedup tolerates.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * Creates the database file owner-only (0600) and narrows an existing one and its `-wal`/`-shm`
 * files: SQLite creates those with the database file's mode. Accepted scripts may carry secrets.
 */
function createPrivately(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

function migrate(db: ProxyDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let i = current; i < MIGRATIONS.length; i++) {
    const sql = MIGRATIONS[i] ?? '';
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
