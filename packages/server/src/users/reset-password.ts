/**
 * @module
 * `remex admin reset-password`: sets a new random password for a user straight in the database
 * named by the server configuration (the data directory's SQLite file or `DATABASE_URL`), for
 * the operator who lost the admin password. Works while the server runs; the server may accept
 * the old password for the few seconds its credential cache keeps it.
 */
import { existsSync } from 'node:fs';

import { NotFoundError } from '@remex/common';

import type { ServerConfig } from '../config/server-config.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import { hashPassword, randomPassword } from './password-hash.ts';

/**
 * Sets a new random password for `login` and returns it (the only time it is shown).
 * @throws NotFoundError when no user has that login
 */
export async function resetPassword(config: Pick<ServerConfig, 'databaseUrl'>, login: string): Promise<string> {
  const file = config.databaseUrl.startsWith('sqlite://') ? config.databaseUrl.slice('sqlite://'.length) : null;
  // Never create an empty database next to the real one.
  if (file !== null && !existsSync(file)) throw new NotFoundError(`No Remex database at ${file}: set REMEX_DATA_DIR (or DATABASE_URL) as for \`remex up\`, or run from the directory it ran in`);
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    const plain = randomPassword();
    const hash = await hashPassword(plain);
    const updated = await store.db.updateTable('users').set({ password_hash: hash }).where('login', '=', login).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new NotFoundError(`No user '${login}' in ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//')}`);
    return plain;
  } finally {
    await store.destroy();
  }
}
