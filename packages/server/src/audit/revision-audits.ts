/**
 * @module
 * Links template revisions to their audits (ADR 0012): a revision is written inside the request
 * that changed the template's text, its audit right after, so a revision's audit is the first
 * audit of that template written at or after the revision, before the template's next revision,
 * that records the text (`template` among its changes). Revisions no request made (the startup
 * sync) have none.
 */
import type { Kysely } from 'kysely';

import type { Database, TemplateRevisionRow } from '../db/schema.ts';

/** The id of the audit of each revision in `rows` (null when none), by revision id. */
export async function revisionAuditIds(db: Kysely<Database>, rows: readonly Pick<TemplateRevisionRow, 'id' | 'template_id' | 'created_at'>[]): Promise<Map<number, number | null>> {
  const links = new Map<number, number | null>();
  for (const rev of rows) {
    const next = await db
      .selectFrom('template_revisions')
      .select('created_at')
      .where('template_id', '=', rev.template_id)
      .where('id', '>', rev.id)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    let q = db
      .selectFrom('audits')
      .select('id')
      .where('auditable_type', '=', 'job_template')
      .where('auditable_id', '=', String(rev.template_id))
      .where('created_at', '>=', rev.created_at)
      .where('audited_changes', 'like', '%"template":%');
    if (next !== undefined) q = q.where('created_at', '<=', next.created_at);
    const audit = await q.orderBy('id').limit(1).executeTakeFirst();
    links.set(rev.id, audit === undefined ? null : Number(audit.id));
  }
  return links;
}

/** `revisions` (serialized) with the `audit_id` of each. */
export async function withAuditIds<T extends Record<string, unknown>>(db: Kysely<Database>, rows: readonly TemplateRevisionRow[], revisions: readonly T[]): Promise<(T & { audit_id: number | null })[]> {
  const links = await revisionAuditIds(db, rows);
  return revisions.map((r) => ({ ...r, audit_id: links.get(Number(r.id)) ?? null }));
}
