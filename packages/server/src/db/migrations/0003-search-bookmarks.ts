/**
 * @module
 * Migration 0003: search and targeting (issue 5). Bookmarks (saved searches, seeded with
 * Foreman's job-invocation bookmarks) and an index for jobs by bookmark.
 * Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Foreman's seeded job-invocation bookmarks (`90-bookmarks.rb`, reference §1a). */
export const SEEDED_BOOKMARKS: ReadonlyArray<{ name: string; query: string }> = [
  { name: 'failed', query: 'status = failed' },
  { name: 'succeeded', query: 'status = succeeded' },
  { name: 'running', query: 'status = running' },
  { name: 'pending', query: 'status = queued or status = running' },
  { name: 'recurring', query: 'recurring = true' },
  { name: 'recent', query: 'started_at > "24 hours ago"' },
];

interface BookmarkSeedDb {
  bookmarks: { name: string; query: string; controller: string; public: number; owner_id: number | null; created_at: string; updated_at: string };
}

/** Creates `bookmarks`, seeds it, and adds the search indexes. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('bookmarks')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('controller', 'varchar(255)', (c) => c.notNull())
    .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('bookmarks_controller_name', ['controller', 'name'])
    .execute();
  const now = new Date().toISOString();
  await (db as unknown as Kysely<BookmarkSeedDb>)
    .insertInto('bookmarks')
    .values(SEEDED_BOOKMARKS.map((b) => ({ ...b, controller: 'job_invocations', public: 1, owner_id: null, created_at: now, updated_at: now })))
    .execute();

  // The bookmark used by a job.
  await db.schema.createIndex('job_invocations_bookmark').on('job_invocations').column('bookmark_id').execute();
}
