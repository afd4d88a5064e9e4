/**
 * @module
 * Audits of routes that write many records at once (host import): the records the body names
 * are read before the handler and again after it, and each one created or changed gets its own
 * audit (ADR 0012). Bounded by the route's own limit: a body naming more records than that is
 * refused by the handler, and read by nobody here.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { MAX_IMPORT_ROWS } from '@remex/common';
import { changedFields, wholeRecord } from './audit-changes.ts';
import type { AuditSnapshot } from './audit-loaders.ts';
import { hostsByName } from './audit-loaders.ts';

/** How a bulk route names and reads its records. */
export interface BulkAudit {
  /** The references the request names, or null when the body is not one the route accepts. */
  refs(req: FastifyRequest): string[] | null;
  /** Reads the named records that exist, by reference. */
  loadMany(db: Kysely<Database>, refs: readonly string[]): Promise<Map<string, AuditSnapshot>>;
}

/** One record's audit of a bulk write. */
export interface BulkChange {
  action: 'create' | 'update';
  record: AuditSnapshot;
  changes: Record<string, unknown>;
}

/** `POST /api/hosts/import`: the hosts named in `{"hosts": [{"name": …}]}`. */
export const HOST_IMPORT: BulkAudit = {
  refs(req) {
    const hosts = (req.body as { hosts?: unknown } | null)?.hosts;
    if (!Array.isArray(hosts) || hosts.length > MAX_IMPORT_ROWS) return null;
    return hosts.flatMap((h: unknown) => {
      const name = typeof h === 'object' && h !== null ? (h as { name?: unknown }).name : undefined;
      return typeof name === 'string' ? [name.trim().toLowerCase()] : [];
    });
  },
  loadMany: (db, refs) => hostsByName(db, [...new Set(refs)]),
};

/** The audits of a bulk write: created records and records whose fields changed. */
export function bulkChanges(before: ReadonlyMap<string, AuditSnapshot>, after: ReadonlyMap<string, AuditSnapshot>): BulkChange[] {
  const out: BulkChange[] = [];
  for (const [ref, record] of after) {
    const old = before.get(ref);
    if (old === undefined) {
      out.push({ action: 'create', record, changes: wholeRecord(record) });
      continue;
    }
    const changes = changedFields(old, record);
    if (Object.keys(changes).length > 0) out.push({ action: 'update', record, changes });
  }
  return out;
}
