/**
 * @module
 * Host store: lookups and checks of hosts, used by the host routes and by other modules (which import this, never the routes).
 */
import { isIP } from 'node:net';

import { InputError, NotFoundError } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, HostRow } from '../db/schema.ts';
import { findHostgroup } from '../hostgroups/hostgroup-store.ts';
import { field } from '../http/params.ts';

/** Finds a host by id or name; 404 otherwise. */
export async function findHost(db: Kysely<Database>, ref: string): Promise<HostRow> {
  const q = db.selectFrom('hosts').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Host '${ref}' not found`);
  return row;
}

const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Validates a host name (Foreman: no spaces, no upper case is normalised). */
export function checkHostName(name: string): string {
  const n = name.trim().toLowerCase();
  if (!HOST_NAME.test(n) || n.length > 255) throw new InputError(`Name '${name}' is not a valid host name`);
  return n;
}

/**
 * Checks a host address field: `ip` must be an IPv4 address, `ip6` an IPv6 one; blank clears it.
 * Returns `undefined` when the field is absent (an update leaves it unchanged).
 */
export function checkHostAddress(value: string | null | undefined, key: 'ip' | 'ip6'): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  const family = key === 'ip' ? 4 : 6;
  if (isIP(v) !== family) throw new InputError(`${key} '${value}' is not a valid IPv${family} address`);
  return v;
}

/** Resolves the hostgroup, subnet and operating system a host body refers to (422 when one does not exist). */
export async function refIds(db: Kysely<Database>, body: Record<string, unknown>) {
  const hostgroupId = field.int(body, 'hostgroup_id');
  if (hostgroupId !== undefined && hostgroupId !== null) await findHostgroup(db, String(hostgroupId)).catch(() => {
    throw new InputError(`Hostgroup ${hostgroupId} does not exist`);
  });
  const hostgroupName = field.str(body, 'hostgroup_name') ?? field.str(body, 'hostgroup_title');
  const hgId = hostgroupName ? (await findHostgroup(db, hostgroupName)).id : hostgroupId;
  const subnetId = field.int(body, 'subnet_id');
  if (subnetId !== undefined && subnetId !== null && !(await db.selectFrom('subnets').select('id').where('id', '=', subnetId).executeTakeFirst())) {
    throw new InputError(`Subnet ${subnetId} does not exist`);
  }
  const osId = field.int(body, 'operatingsystem_id');
  if (osId !== undefined && osId !== null && !(await db.selectFrom('operatingsystems').select('id').where('id', '=', osId).executeTakeFirst())) {
    throw new InputError(`Operating system ${osId} does not exist`);
  }
  return { hostgroup_id: hgId, subnet_id: subnetId, operatingsystem_id: osId };
}
