/**
 * @module
 * Targeting (ARCHITECTURE step 2, reference §1e): which hosts a job runs on.
 *
 * - `static_query`: the query is resolved once, when the job is created, to an ordered host list
 *   (tasks are inserted then; also for future and recurring jobs).
 * - `dynamic_query`: the query (or the bookmark's current query) is stored and resolved each
 *   time the job starts: {@link startQueuedJob}, called by the dispatcher when it moves a job
 *   from `queued` to `running`, inserts the tasks in the same transaction as the claim, so a
 *   job never runs half-planned and two servers never plan it twice.
 *
 * Hosts are ordered by `name, id`, or shuffled when `randomized_ordering` is set.
 */
import { randomInt } from 'node:crypto';

import { InputError } from '@remex/common';
import type { SearchDialect } from '@remex/search-query';
import { compileSearch } from '@remex/search-query';
import type { Kysely } from 'kysely';
import { PostgresAdapter, expressionBuilder } from 'kysely';

import { viewableHosts } from '../../authz/job-authorization.ts';
import { findBookmark } from '../../bookmarks/bookmark-store.ts';
import type { BookmarkRow, Database, JobInvocationRow } from '../../db/schema.ts';
import { chunks, isSet, nowIso } from '../../db/time.ts';
import type { HostSearchDB, HostSearchTables } from '../../hosts/host-search.ts';
import { compileHostSearch, hostSearch } from '../../hosts/host-search.ts';
import { hostQuery } from '../../hosts/host-serializer.ts';
import { asInputError, searchContext } from '../../search/resource-search.ts';
import type { CurrentUser } from '../../users/user-store.ts';

/** The dialect of a Kysely instance (from its adapter). */
export function dialectOf(db: Kysely<Database>): SearchDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Checks that `query` is a valid host search without running it (422 with a position otherwise). */
export function checkHostQuery(query: string, dialect: SearchDialect, user: CurrentUser | null): void {
  try {
    compileSearch(query, hostSearch, expressionBuilder<HostSearchDB, HostSearchTables>(), searchContext(dialect, user));
  } catch (e: unknown) {
    asInputError(e, query);
  }
}

/**
 * The bookmark a job request names (`bookmark_id`: an id, or a name of a `hosts` bookmark).
 * Foreman targets hosts only with host bookmarks; others are a 422.
 */
export async function targetBookmark(db: Kysely<Database>, ref: unknown, user: CurrentUser | null): Promise<BookmarkRow> {
  if (typeof ref !== 'number' && typeof ref !== 'string') throw new InputError('bookmark_id must be a bookmark id');
  const bookmark = await findBookmark(db, ref, user, /^\d+$/.test(String(ref).trim()) ? undefined : 'hosts');
  if (bookmark.controller !== 'hosts') {
    throw new InputError(`Bookmark '${bookmark.name}' searches ${bookmark.controller}, not hosts: it cannot select the target hosts`);
  }
  return bookmark;
}

/** The host ids `query` matches among those `user` may view (ADR 0011), in `name, id` order, or shuffled when `randomized`. */
export async function resolveHostIds(db: Kysely<Database>, dialect: SearchDialect, query: string, randomized: boolean, user: CurrentUser | null): Promise<number[]> {
  const rows = await hostQuery(db).select('h.id').where(compileHostSearch(query, dialect, user)).where(await viewableHosts(db, dialect, user)).orderBy('h.name').orderBy('h.id').execute();
  const ids = rows.map((r) => r.id);
  if (randomized) {
    for (let i = ids.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
    }
  }
  return ids;
}

/** Inserts one task per host, in the given order, a few thousand rows per statement. */
export async function insertTasks(db: Kysely<Database>, jobId: number, templateId: number, hostIds: readonly number[]): Promise<void> {
  const tasks = hostIds.map((hostId, position) => ({ job_invocation_id: jobId, host_id: hostId, template_id: templateId, position }));
  for (const part of chunks(tasks, 2000)) await db.insertInto('template_invocations').values(part).execute();
}

/**
 * The query a dynamic job resolves now: its bookmark's current query when the bookmark still
 * exists, else the query stored at creation.
 */
async function currentQuery(db: Kysely<Database>, job: JobInvocationRow): Promise<string> {
  if (job.bookmark_id !== null) {
    const b = await db.selectFrom('bookmarks').select('query').where('id', '=', job.bookmark_id).executeTakeFirst();
    if (b) return b.query;
  }
  return job.search_query ?? '';
}

/**
 * Moves `job` from `queued` to `running` (the claim: only one caller wins) and, for a
 * `dynamic_query` job, resolves its query now and inserts its tasks, all in one transaction.
 * A query that no longer parses, or matches no host, leaves the job with no tasks (it then
 * finishes at once).
 * @returns whether this call started the job
 */
export async function startQueuedJob(db: Kysely<Database>, job: JobInvocationRow): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('job_invocations')
      .set({ state: 'running', started_at: nowIso() })
      .where('id', '=', job.id)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return false;
    if (job.targeting_type !== 'dynamic_query') return true;
    const planned = await trx.selectFrom('template_invocations').select('id').where('job_invocation_id', '=', job.id).limit(1).executeTakeFirst();
    if (planned) return true;
    const user = job.user_id === null ? null : await trx.selectFrom('users').select(['id', 'login', 'admin']).where('id', '=', job.user_id).executeTakeFirst();
    const query = await currentQuery(trx, job);
    let hostIds: number[] = [];
    try {
      hostIds = await resolveHostIds(trx, dialectOf(db), query, isSet(job.randomized_ordering), user ? { id: user.id, login: user.login, admin: isSet(user.admin) } : null);
    } catch (e: unknown) {
      if (!(e instanceof InputError)) throw e;
    }
    await insertTasks(trx, job.id, job.template_id, hostIds);
    await trx.updateTable('job_invocations').set({ total_hosts: hostIds.length, search_query: query }).where('id', '=', job.id).execute();
    return true;
  });
}
