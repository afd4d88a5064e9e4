/**
 * @module
 * Compile-time check (run by `tsc`, not by Vitest): a definition for `hosts` works in queries that
 * join more tables, in counts and in deletes.
 */
import type { Kysely } from 'kysely';
import { compileSearch } from '../../src/index.ts';
import { hostSearch } from './inventory-fixture.ts';
import type { InventoryDatabase } from './inventory-fixture.ts';

export async function joined(db: Kysely<InventoryDatabase>): Promise<unknown> {
  return db.selectFrom('hosts').leftJoin('hostgroups', 'hostgroups.id', 'hosts.hostgroup_id')
    .select(['hosts.id', 'hostgroups.name'])
    .where((eb) => compileSearch('name = a', hostSearch, eb, { dialect: 'sqlite' }))
    .execute();
}
export async function counted(db: Kysely<InventoryDatabase>): Promise<unknown> {
  return db.selectFrom('hosts').select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => compileSearch('name = a', hostSearch, eb, { dialect: 'sqlite' }))
    .executeTakeFirst();
}
export async function deleted(db: Kysely<InventoryDatabase>): Promise<unknown> {
  return db.deleteFrom('hosts').where((eb) => compileSearch('name = a', hostSearch, eb, { dialect: 'sqlite' })).execute();
}
