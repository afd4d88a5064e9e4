/**
 * @module
 * The append-only audit store: one insert per audited change (with the record's next version),
 * reads by id, and the API shape of a row. There is no update or delete.
 */
import { NotFoundError } from '@remex/common';
import type { Audit } from '@remex/common';
import type { Kysely, Selectable } from 'kysely';

import type { AuditTable, Database } from '../db/schema.ts';
import { chunks, nowIso } from '../db/time.ts';

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

/** Appends audits of records of one type (one transaction), each with its record's next version. */
export async function insertAudits(db: Kysely<Database>, audits: readonly NewAudit[]): Promise<void> {
  const type = audits[0]?.auditable_type;
  if (type === undefined) return;
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    for (const part of chunks(audits, 500)) {
      const ids = [...new Set(part.map((a) => a.auditable_id))];
      const last = await trx
        .selectFrom('audits')
        .select(['auditable_id', (eb) => eb.fn.max('version').as('v')])
        .where('auditable_type', '=', type)
        .where('auditable_id', 'in', ids)
        .groupBy('auditable_id')
        .execute();
      const versions = new Map(last.map((r) => [r.auditable_id, Number(r.v)]));
      const rows = part.map(({ changes, ...rest }) => {
        const version = (versions.get(rest.auditable_id) ?? 0) + 1;
        versions.set(rest.auditable_id, version);
        return { ...rest, auditable_type: type, audited_changes: JSON.stringify(changes), version, created_at: now };
      });
      await trx.insertInto('audits').values(rows).execute();
    }
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
