/**
 * @module
 * Authorization of jobs with their owner's permissions as they are at that moment (ADR 0011):
 * targeting resolves only hosts the owner may view, and each task is authorized just before it
 * is dispatched — its template must be viewable (`view_job_templates`), its host viewable
 * (`view_hosts`), and the task within the owner's `create_template_invocations` filters (whose
 * searches name the template and the host together: `name = "Run Command - Script Default" and
 * host.name ~ *.staging.example.com`). A task outside fails with the missing permission's
 * message while the others run; a job without an owner (system jobs) is not limited.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';

import type { Database, JobInvocationRow } from '../db/schema.ts';
import { isSet } from '../db/time.ts';
import type { CurrentUser } from '../users/user-store.ts';
import type { Grants } from './grants.ts';
import { loadGrants, reach } from './grants.ts';
import type { ResourceType } from './permissions.ts';
import { matchingRecords, searchesCondition } from './resource-records.ts';

type Dialect = 'sqlite' | 'postgres';

/** The owner of a job as they are now (null: no owner, or an admin: nothing limits them). */
async function limitedOwner(db: Kysely<Database>, userId: number | null): Promise<{ user: CurrentUser; grants: Grants } | null | 'gone'> {
  if (userId === null) return null;
  const row = await db.selectFrom('users').select(['id', 'login', 'admin']).where('id', '=', userId).executeTakeFirst();
  if (!row) return 'gone';
  if (isSet(row.admin)) return null;
  return { user: { id: row.id, login: row.login, admin: false }, grants: await loadGrants(db, row.id) };
}

/**
 * The condition (over host search's aliases) limiting targeting to the hosts user `user` may
 * view now (their `view_hosts` filters); always true for admins and jobs without a user.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function viewableHosts(db: Kysely<Database>, dialect: Dialect, user: Pick<CurrentUser, 'id'> | null): Promise<(eb: ExpressionBuilder<any, any>) => Expression<SqlBool>> {
  const owner = await limitedOwner(db, user?.id ?? null);
  if (owner === null) return () => sql<SqlBool>`1 = 1`;
  if (owner === 'gone') return () => sql<SqlBool>`1 = 0`;
  const r = reach(owner.grants, 'view_hosts');
  if (r === 'all') return () => sql<SqlBool>`1 = 1`;
  return searchesCondition('Host', r === 'none' ? [] : r, dialect, owner.user);
}

/** Ids among `ids` (records of `type`) that `permission` reaches. */
async function reached(db: Kysely<Database>, grants: Grants, permission: string, type: ResourceType, ids: readonly number[], dialect: Dialect, user: CurrentUser): Promise<Set<number>> {
  const r = reach(grants, permission);
  if (r === 'all') return new Set(ids);
  if (r === 'none') return new Set();
  return matchingRecords(db, type, ids, r, dialect, user);
}

/** A task refused just before dispatch, with its message. */
export interface TaskRefusal {
  id: number;
  message: string;
}

/**
 * Splits `tasks` of `job` into those its owner may run now and refusals naming the missing
 * permission ("Missing one of the required permissions: create_template_invocations").
 */
export async function authorizeTasks<T extends { id: number; host_id: number }>(db: Kysely<Database>, job: JobInvocationRow, tasks: readonly T[], dialect: Dialect): Promise<{ allowed: T[]; refused: TaskRefusal[] }> {
  const owner = await limitedOwner(db, job.user_id);
  if (owner === null || tasks.length === 0) return { allowed: [...tasks], refused: [] };
  if (owner === 'gone') return { allowed: [], refused: tasks.map((t) => ({ id: t.id, message: "The job's user no longer exists" })) };
  const { user, grants } = owner;
  const templateOk = (await reached(db, grants, 'view_job_templates', 'JobTemplate', [job.template_id], dialect, user)).has(job.template_id);
  const hostsOk = await reached(db, grants, 'view_hosts', 'Host', [...new Set(tasks.map((t) => t.host_id))], dialect, user);
  const tasksOk = await reached(db, grants, 'create_template_invocations', 'TemplateInvocation', tasks.map((t) => t.id), dialect, user);
  const allowed: T[] = [];
  const refused: TaskRefusal[] = [];
  for (const t of tasks) {
    const missing = !templateOk ? 'view_job_templates' : !hostsOk.has(t.host_id) ? 'view_hosts' : !tasksOk.has(t.id) ? 'create_template_invocations' : null;
    if (missing === null) allowed.push(t);
    else refused.push({ id: t.id, message: `Missing one of the required permissions: ${missing} (user ${user.login} may not run this template on this host)` });
  }
  return { allowed, refused };
}
