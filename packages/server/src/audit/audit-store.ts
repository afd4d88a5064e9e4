/**
 * @module
 * The append-only audit store: one insert per audited change (with the record's next version),
 * reads by id, and the API shape of a row. There is no update or delete.
 */
import { NotFoundError } from '@remex/common';
import type { Audit } from '@remex/common';
import type { Kysely, Selectable } from 'kysely';

import type { AuditTable, Database } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';

/** A stored audit row. */
export type AuditRow = Selectable<AuditTable>;

/** What one audit records. */
export interface NewAudit {
  auditable_type: string;
  auditable_id: string;
  auditable_name: string | null;
  action: string;
  changes: Record<string, unknown>;
  user_id: number | null;
  user_login: string | null;
  remote_address: string | null;
  request_uuid: string | null;
}

/** Appends an audit; its version is one more than the record's last. */
export async function insertAudit(db: Kysely<Database>, audit: NewAudit): Promise<AuditRow> {
  const { changes, ...rest } = audit;
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('audits')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('auditable_type', '=', audit.auditable_type)
      .where('auditable_id', '=', audit.auditable_id)
      .executeTakeFirst();
    return trx
      .insertInto('audits')
      .values({ ...rest, audited_changes: JSON.stringify(changes), version: Number(last?.v ?? 0) + 1, created_at: nowIso() })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** The audit with id `ref` (404 when none). */
export async function findAudit(db: Kysely<Database>, ref: string): Promise<AuditRow> {
  const row = /^[0-9]{1,15}$/.test(ref) ? await db.selectFrom('audits').selectAll().where('id', '=', Number(ref)).executeTakeFirst() : undefined;
  if (row === undefined) throw new NotFoundError(`Resource audit not found by id '${ref}'`);
  return row;
}

/** The API shape of an audit (Foreman's field names). */
export function serializeAudit(row: AuditRow): Audit {
  let changes: Record<string, unknown> = {};
  try {
    changes = JSON.parse(row.audited_changes) as Record<string, unknown>;
  } catch {
    changes = {};
  }
  return {
    id: Number(row.id),
    auditable_type: row.auditable_type,
    auditable_id: /^[0-9]{1,15}$/.test(row.auditable_id) ? Number(row.auditable_id) : row.auditable_id,
    auditable_name: row.auditable_name,
    action: row.action,
    audited_changes: changes,
    user_id: row.user_id,
    user_name: row.user_login,
    remote_address: row.remote_address,
    request_uuid: row.request_uuid,
    version: row.version,
    created_at: row.created_at,
  };
}
