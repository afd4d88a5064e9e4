/**
 * @module
 * Template revisions: every change of a job template's text is stored as an audit row, so
 * `GET /api/job_templates/revision?version=<id>` can return any earlier text (Foreman answers it
 * from its audits).
 */
import type { TemplateRevision } from '@remex/common';
import { NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, TemplateRevisionRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';

/** Why a revision was written. */
export type RevisionAction = 'create' | 'update' | 'import' | 'sync' | 'clone';

/**
 * Stores the current text of a template when it differs from its latest revision.
 * @returns true when a revision row was written
 */
export async function recordRevision(
  db: Kysely<Database>,
  template: { id: number; name: string; template: string },
  action: RevisionAction,
  userLogin: string | null = null,
): Promise<boolean> {
  const last = await db
    .selectFrom('template_revisions')
    .select('template')
    .where('template_id', '=', template.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && last.template === template.template) return false;
  await db
    .insertInto('template_revisions')
    .values({ template_id: template.id, template_name: template.name, template: template.template, action, user_login: userLogin, created_at: nowIso() })
    .execute();
  return true;
}

/** Revision JSON. */
export function serializeRevision(r: TemplateRevisionRow): TemplateRevision {
  return { id: r.id, version: r.id, job_template_id: r.template_id, template_name: r.template_name, template: r.template, action: r.action, user: r.user_login, created_at: r.created_at };
}

/** A revision by its version (id); 404 otherwise. */
export async function findRevision(db: Kysely<Database>, version: string): Promise<TemplateRevisionRow> {
  const row = /^\d+$/.test(version) ? await db.selectFrom('template_revisions').selectAll().where('id', '=', Number(version)).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError(`Template revision '${version}' not found`);
  return row;
}

/** The revisions of a template (`GET /api/job_templates/:id/revisions`). */
export function revisionsOf(db: Kysely<Database>, templateId: number) {
  return db.selectFrom('template_revisions').where('template_id', '=', templateId);
}
