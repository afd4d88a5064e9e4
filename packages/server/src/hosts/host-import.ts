/**
 * @module
 * The writes of `POST /api/hosts/import`: bulk create/update of hosts for users without a provisioning system.
 * All rows are validated first; one invalid row rejects the request (422 naming every bad row)
 * and nothing is written. Valid requests are written in one transaction (the caller's)
 * with set-based inserts.
 */
import type { HostImport } from '@remex/common';
import { InputError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { chunks, nowIso } from '../db/time.ts';
import { createHostgroupByTitle } from '../hostgroups/hostgroup-store.ts';
import { SECRET_PARAMETERS } from '../parameters/parameter-store.ts';
import { sealForUpsert } from '../parameters/parameter-secrets.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { checkHostAddress, checkHostName } from './host-store.ts';

/** One row of an import. */
export interface ImportRow {
  name: string;
  ip: string | null;
  hostgroup: string | null;
  parameters: Record<string, string>;
}

/**
 * Checks the rows of an import body (its shape is checked by `HostImportSchema`): names,
 * addresses, duplicates, parameter names. Every bad row is named; one rejects the import.
 */
export function parseImportRows(body: HostImport): ImportRow[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  const rows: ImportRow[] = [];
  body.hosts.forEach((r, i) => {
    try {
      const name = checkHostName(r.name);
      if (seen.has(name)) throw new InputError(`duplicate host '${name}' in this import`);
      seen.add(name);
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.parameters ?? {})) {
        if (!/^\S+$/.test(k)) throw new InputError(`parameter name '${k}' must not contain spaces`);
        params[k] = typeof v === 'string' ? v : JSON.stringify(v);
      }
      rows.push({
        name,
        ip: typeof r.ip === 'string' ? (checkHostAddress(r.ip, 'ip') ?? null) : null,
        hostgroup: typeof r.hostgroup === 'string' && r.hostgroup !== '' ? r.hostgroup : null,
        parameters: params,
      });
    } catch (e: unknown) {
      errors.push(`row ${i + 1}: ${(e as Error).message}`);
    }
  });
  if (errors.length > 0) {
    throw new InputError(`Import rejected, nothing was imported: ${errors.slice(0, 20).join('; ')}${errors.length > 20 ? `; and ${errors.length - 20} more` : ''}`);
  }
  return rows;
}

/** Writes validated rows; returns created/updated counts. */
export async function importHosts(db: Kysely<Database>, secrets: SecretBox, rows: readonly ImportRow[]): Promise<{ created: number; updated: number }> {
  const now = nowIso();
  const groupIds = new Map<string, number>();
  for (const title of new Set(rows.map((r) => r.hostgroup).filter((t): t is string => t !== null))) {
    groupIds.set(title, (await createHostgroupByTitle(db, title)).id);
  }
  const existing = new Map<string, number>();
  for (const part of chunks(rows.map((r) => r.name), 5000)) {
    for (const h of await db.selectFrom('hosts').select(['id', 'name']).where('name', 'in', part).execute()) existing.set(h.name, h.id);
  }
  const ids = new Map(existing);
  const fresh = rows.filter((r) => !existing.has(r.name));
  for (const part of chunks(fresh, 1000)) {
    const inserted = await db
      .insertInto('hosts')
      .values(part.map((r) => ({ name: r.name, ip: r.ip, hostgroup_id: r.hostgroup ? (groupIds.get(r.hostgroup) ?? null) : null, created_at: now, updated_at: now })))
      .returning(['id', 'name'])
      .execute();
    for (const h of inserted) ids.set(h.name, h.id);
  }
  for (const r of rows.filter((row) => existing.has(row.name))) {
    await db
      .updateTable('hosts')
      .set({ ip: r.ip, hostgroup_id: r.hostgroup ? (groupIds.get(r.hostgroup) ?? null) : null, updated_at: now })
      .where('id', '=', existing.get(r.name) ?? -1)
      .execute();
  }
  const given = rows.flatMap((r) => Object.entries(r.parameters).map(([name, value]) => ({ scopeId: ids.get(r.name) ?? -1, name, value })));
  // Hidden values (known secrets, or replacing a row marked hidden) are stored sealed.
  const stored = await sealForUpsert(db, secrets, 'host', [...existing.values()], given);
  const params = given.map((p, i) => ({
    scope: 'host' as const,
    scope_id: p.scopeId,
    name: p.name,
    value: stored[i] ?? '',
    parameter_type: 'string',
    hidden_value: SECRET_PARAMETERS.has(p.name) ? 1 : 0,
    created_at: now,
    updated_at: now,
  }));
  for (const part of chunks(params, 1000)) {
    await db
      .insertInto('parameters')
      .values(part)
      .onConflict((oc) => oc.columns(['scope', 'scope_id', 'name']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: now })))
      .execute();
  }
  return { created: fresh.length, updated: rows.length - fresh.length };
}
