/**
 * @module
 * `/api/subnets` with `remote_execution_proxy_ids` (REX proxies of the subnet).
 */
import { isIP } from 'node:net';

import { ConflictError, InputError, NotFoundError } from '@remex/common';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { ServerContext } from '../context.ts';
import type { Database, SubnetRow } from '../db/schema.ts';
import { nowIso } from '../db/time.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { field, listParams, unwrap } from '../http/params.ts';
import { compileSubnetSearch } from './subnet-search.ts';

async function findSubnet(db: Kysely<Database>, ref: string): Promise<SubnetRow> {
  const q = db.selectFrom('subnets').selectAll();
  const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
  if (!row) throw new NotFoundError(`Subnet '${ref}' not found`);
  return row;
}

function proxyIds(body: Record<string, unknown>): number[] | undefined {
  const v = body.remote_execution_proxy_ids;
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new InputError('remote_execution_proxy_ids must be a list of proxy ids');
  return v.map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n)) throw new InputError(`remote_execution_proxy_ids: '${String(x)}' is not an id`);
    return n;
  });
}

async function setProxies(db: Kysely<Database>, subnetId: number, ids: number[]): Promise<void> {
  for (const id of ids) {
    if (!(await db.selectFrom('smart_proxies').select('id').where('id', '=', id).executeTakeFirst())) throw new InputError(`Smart proxy ${id} does not exist`);
  }
  await db.deleteFrom('subnet_proxies').where('subnet_id', '=', subnetId).execute();
  if (ids.length > 0) await db.insertInto('subnet_proxies').values([...new Set(ids)].map((id) => ({ subnet_id: subnetId, smart_proxy_id: id }))).execute();
}

function checkNetwork(network: string, mask: string): void {
  if (isIP(network) === 0) throw new InputError(`network '${network}' is not an IP address`);
  if (isIP(mask) === 0 && !/^\d{1,3}$/.test(mask)) throw new InputError(`mask '${mask}' is not a netmask`);
}

/** Registers subnet routes. */
export function registerSubnetRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.store.db;
  const show = async (s: SubnetRow) => {
    const proxies = await db
      .selectFrom('subnet_proxies as sp')
      .innerJoin('smart_proxies as p', 'p.id', 'sp.smart_proxy_id')
      .select(['p.id', 'p.name'])
      .where('sp.subnet_id', '=', s.id)
      .orderBy('p.name')
      .execute();
    return { ...s, remote_execution_proxy_ids: proxies.map((p) => p.id), remote_execution_proxies: proxies };
  };

  app.get('/api/subnets', async (req) =>
    listResource({
      params: listParams(req.query, ['name', 'id', 'network']),
      base: db.selectFrom('subnets'),
      search: (text) => compileSubnetSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { name: 'name', id: 'id', network: 'network' },
      defaultOrder: 'name',
      select: (q) => q.selectAll(),
      serialize: (rows) => Promise.all(rows.map(show)),
    }),
  );

  app.get('/api/subnets/:id', async (req) => show(await findSubnet(db, (req.params as { id: string }).id)));

  app.post('/api/subnets', async (req, reply) => {
    const body = unwrap(req.body, 'subnet');
    const name = field.required(body, 'name');
    const network = field.required(body, 'network');
    const mask = field.required(body, 'mask');
    checkNetwork(network, mask);
    const ids = proxyIds(body) ?? [];
    const row = await db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('subnets').select('id').where('name', '=', name).executeTakeFirst()) throw new ConflictError(`Name has already been taken: subnet '${name}' exists`);
      const now = nowIso();
      const s = await trx.insertInto('subnets').values({ name, network, mask, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
      await setProxies(trx, s.id, ids);
      return s;
    });
    return reply.status(201).send(await show(row));
  });

  app.put('/api/subnets/:id', async (req) => {
    const body = unwrap(req.body, 'subnet');
    const row = await db.transaction().execute(async (trx) => {
      const s = await findSubnet(trx, (req.params as { id: string }).id);
      const name = field.str(body, 'name') ?? s.name;
      const network = field.str(body, 'network') ?? s.network;
      const mask = field.str(body, 'mask') ?? s.mask;
      checkNetwork(network, mask);
      if (name !== s.name && (await trx.selectFrom('subnets').select('id').where('name', '=', name).executeTakeFirst())) throw new ConflictError(`Name has already been taken: subnet '${name}' exists`);
      const updated = await trx.updateTable('subnets').set({ name, network, mask, updated_at: nowIso() }).where('id', '=', s.id).returningAll().executeTakeFirstOrThrow();
      const ids = proxyIds(body);
      if (ids) await setProxies(trx, s.id, ids);
      return updated;
    });
    return show(row);
  });

  app.delete('/api/subnets/:id', async (req) => {
    return db.transaction().execute(async (trx) => {
      const s = await findSubnet(trx, (req.params as { id: string }).id);
      await trx.updateTable('hosts').set({ subnet_id: null }).where('subnet_id', '=', s.id).execute();
      await trx.deleteFrom('subnet_proxies').where('subnet_id', '=', s.id).execute();
      await trx.deleteFrom('subnets').where('id', '=', s.id).execute();
      return s;
    });
  });
}
