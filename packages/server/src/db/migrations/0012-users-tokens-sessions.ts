/**
 * @module
 * Migration 0012: users and authentication (ADR 0010). Users get Foreman's attributes (names,
 * mail, auth source, locale, timezone, default organization/location — plain integers, the
 * taxonomies land later), `updated_at` and `last_login_at`. `personal_access_tokens` keeps only
 * a SHA-256 of each token (never the token); `user_sessions` keeps only a SHA-256 of each browser
 * session id, with the session's CSRF token and its absolute expiry (idle expiry is computed
 * from `last_seen_at`). Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Adds the user columns and the token and session tables. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  const text = (name: string, type: 'varchar(255)' | 'varchar(64)' | 'varchar(32)' | 'varchar(16)') => db.schema.alterTable('users').addColumn(name, type).execute();
  await text('firstname', 'varchar(255)');
  await text('lastname', 'varchar(255)');
  await text('mail', 'varchar(255)');
  await db.schema.alterTable('users').addColumn('auth_source', 'varchar(32)', (c) => c.notNull().defaultTo('internal')).execute();
  await text('locale', 'varchar(16)');
  await text('timezone', 'varchar(64)');
  await db.schema.alterTable('users').addColumn('default_organization_id', 'integer').execute();
  await db.schema.alterTable('users').addColumn('default_location_id', 'integer').execute();
  await text('updated_at', 'varchar(32)');
  await text('last_login_at', 'varchar(32)');
  await sql`UPDATE users SET updated_at = created_at`.execute(db);
  await db.schema.createIndex('users_admin').on('users').column('admin').execute();

  await db.schema
    .createTable('personal_access_tokens')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('expires_at', 'varchar(32)')
    .addColumn('revoked_at', 'varchar(32)')
    .addColumn('last_used_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('personal_access_tokens_user_id').on('personal_access_tokens').column('user_id').execute();

  await db.schema
    .createTable('user_sessions')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_sessions_user_id').on('user_sessions').column('user_id').execute();
  await db.schema.createIndex('user_sessions_last_seen_at').on('user_sessions').column('last_seen_at').execute();
}
