/**
 * @module
 * Fact upload: flattens nested facts (`os::family`), replaces the host's facts, creates the host
 * when it is new and sets its operating system from the facts the way Foreman's importer does.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { chunks, nowIso } from '../db/time.ts';

/** Flattens nested objects into `a::b` keys; arrays become JSON text. */
export function flattenFacts(facts: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(facts)) {
    const key = prefix === '' ? k : `${prefix}::${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenFacts(v as Record<string, unknown>, key, out);
    else out[key] = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** Operating system described by facts, if they say enough. */
export function osFromFacts(f: Record<string, string>): { name: string; major: string; minor: string; family: string | null } | null {
  const name = f['os::name'] ?? f.operatingsystem ?? f['ansible_distribution'];
  const release = f['os::release::full'] ?? f.operatingsystemrelease ?? f['ansible_distribution_version'] ?? '';
  const major = f['os::release::major'] ?? f.operatingsystemmajrelease ?? f['ansible_distribution_major_version'] ?? release.split('.')[0] ?? '';
  const minor = f['os::release::minor'] ?? (release.split('.').length > 1 ? release.split('.')[1] : '') ?? '';
  const family = f['os::family'] ?? f.osfamily ?? f['ansible_os_family'] ?? null;
  if (!name || !major) return null;
  return { name, major, minor, family: family === 'RedHat' ? 'Redhat' : family };
}

/** Stores `facts` for host `name` (created if missing); returns the host id. */
export async function storeFacts(db: Kysely<Database>, name: string, facts: Record<string, unknown>): Promise<number> {
  const now = nowIso();
  const flat = flattenFacts(facts);
  let host = await db.selectFrom('hosts').select(['id', 'ip']).where('name', '=', name).executeTakeFirst();
  if (!host) {
    const ip = flat.ipaddress ?? flat['networking::ip'] ?? null;
    host = await db.insertInto('hosts').values({ name, ip, created_at: now, updated_at: now }).returning(['id', 'ip']).executeTakeFirstOrThrow();
  }
  await db.deleteFrom('fact_values').where('host_id', '=', host.id).execute();
  const rows = Object.entries(flat).map(([k, v]) => ({ host_id: host.id, name: k, value: v, updated_at: now }));
  for (const part of chunks(rows, 1000)) await db.insertInto('fact_values').values(part).execute();
  const os = osFromFacts(flat);
  if (os) {
    let osRow = await db.selectFrom('operatingsystems').select('id').where('name', '=', os.name).where('major', '=', os.major).where('minor', '=', os.minor).executeTakeFirst();
    osRow ??= await db
      .insertInto('operatingsystems')
      .values({ ...os, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('hosts').set({ operatingsystem_id: osRow.id, updated_at: now }).where('id', '=', host.id).execute();
  }
  return host.id;
}
