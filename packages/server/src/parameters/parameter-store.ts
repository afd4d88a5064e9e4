/**
 * @module
 * Parameter store: the API shape of parameters, their upsert for hosts, hostgroups and common
 * parameters, and the queries of the parameter endpoints ({@link ParameterStore}).
 */
import type { Parameter, ParameterCreate, ParameterList, ParameterUpdate } from '@remex/common';
import { ConflictError, InputError, NotFoundError, looseBoolean } from '@remex/common';
import type { SearchDialect, SearchUser } from '@remex/search-query';
import type { Kysely, Selectable } from 'kysely';

import type { Database, ParameterScope, ParameterTable } from '../db/schema.ts';
import { flag, nowIso } from '../db/time.ts';
import { listResource } from '../http/list-resource.ts';
import type { ListParams } from '../http/params.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { SECRET_PARAMETERS, isHiddenParameter } from './hidden-parameters.ts';
import { compileParameterSearch } from './parameter-search.ts';
import { checkParameterValue } from './parameter-values.ts';
import { sealForUpsert, storedParameterValue } from './parameter-secrets.ts';

/** Re-exported for the modules that read them from here. */
export { SECRET_PARAMETERS, isHiddenParameter };

const bool = (v: Parameters<typeof looseBoolean>[0] | null | undefined): boolean | undefined => (v === undefined || v === null ? undefined : looseBoolean(v));

/** A parameter value as stored: strings as they are, anything else as JSON. */
const valueText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Parameter as the API shows it. */
export function serializeParameter(p: Selectable<ParameterTable>): Parameter {
  return {
    id: p.id,
    name: p.name,
    value: isHiddenParameter(p.name, p.hidden_value) ? '*****' : p.value,
    parameter_type: p.parameter_type,
    hidden_value: isHiddenParameter(p.name, p.hidden_value),
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/** Validates a parameter name. */
export function checkParameterName(name: string): void {
  if (!/^\S+$/.test(name)) throw new InputError(`Parameter name '${name}' must not contain spaces`);
}

/**
 * Inserts or replaces parameters of one owner (run inside a transaction). A value is sealed when
 * its name is a known secret or the row it replaces is marked hidden.
 */
export async function upsertParameters(
  db: Kysely<Database>,
  secrets: SecretBox,
  scope: ParameterScope,
  scopeId: number,
  params: ReadonlyArray<{ name: string; value: string }>,
): Promise<void> {
  const now = nowIso();
  for (const p of params) {
    checkParameterName(p.name);
    checkParameterValue(p.name, p.value);
  }
  const stored = await sealForUpsert(db, secrets, scope, [scopeId], params.map((p) => ({ scopeId, name: p.name, value: p.value })));
  for (const [i, p] of params.entries()) {
    const value = stored[i] ?? '';
    await db
      .insertInto('parameters')
      .values({ scope, scope_id: scopeId, name: p.name, value, parameter_type: 'string', hidden_value: flag(SECRET_PARAMETERS.has(p.name)), created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'scope_id', 'name']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}

/**
 * Reads Foreman's `*_parameters_attributes`: an array of `{name, value}` or a hash of them.
 * @param value - the attribute value from the request
 * @param key - the attribute name, for messages
 */
export function parameterAttributes(value: unknown, key: string): Array<{ name: string; value: string }> {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : null;
  if (items === null) throw new InputError(`${key} must be a list of {name, value}`);
  const seen = new Set<string>();
  return items.map((item, i) => {
    if (item === null || typeof item !== 'object') throw new InputError(`${key}[${i}] must be an object with name and value`);
    const obj = item as Record<string, unknown>;
    const rawName = obj.name;
    const name = typeof rawName === 'string' ? rawName : typeof rawName === 'number' || typeof rawName === 'boolean' ? String(rawName) : null;
    if (name === null || name.trim() === '') throw new InputError("name can't be blank");
    if (seen.has(name)) throw new InputError(`${key}[${i}]: parameter '${name}' is given twice`);
    seen.add(name);
    const v = obj.value;
    if (v === undefined || v === null) throw new InputError(`${key}[${i}] (${name}): value can't be blank`);
    return { name, value: valueText(v) };
  });
}

/** Resolves the owner (host or hostgroup) of a parameter path to its id; 404 when unknown. */
export type OwnerResolver = (db: Kysely<Database>, ref: string) => Promise<number>;

/**
 * The queries of one parameter family (`common`, `host` or `hostgroup` parameters); every write
 * runs in one transaction with the lookup of its owner.
 */
export class ParameterStore {
  private readonly db: Kysely<Database>;
  private readonly secrets: SecretBox;
  private readonly scope: ParameterScope;
  private readonly owner: OwnerResolver;

  /**
   * @param db - the database
   * @param secrets - seals hidden values
   * @param scope - the family
   * @param owner - resolves an owner path parameter (unused for common parameters, whose owner is 0)
   */
  constructor(db: Kysely<Database>, secrets: SecretBox, scope: ParameterScope, owner: OwnerResolver) {
    this.db = db;
    this.secrets = secrets;
    this.scope = scope;
    this.owner = owner;
  }

  private ownerId(db: Kysely<Database>, ref: string | undefined): Promise<number> {
    return this.scope === 'common' ? Promise.resolve(0) : this.owner(db, ref ?? '');
  }

  private async find(db: Kysely<Database>, scopeId: number, ref: string): Promise<Selectable<ParameterTable>> {
    const q = db.selectFrom('parameters').selectAll().where('scope', '=', this.scope).where('scope_id', '=', scopeId);
    const row = /^\d+$/.test(ref) ? await q.where('id', '=', Number(ref)).executeTakeFirst() : await q.where('name', '=', ref).executeTakeFirst();
    if (!row) throw new NotFoundError(`Parameter '${ref}' not found`);
    return row;
  }

  /** A page of the parameters of owner `ownerRef`. */
  async list(ownerRef: string | undefined, params: ListParams, dialect: SearchDialect, user: SearchUser | null): Promise<ParameterList> {
    const scopeId = await this.ownerId(this.db, ownerRef);
    return listResource({
      params,
      base: this.db.selectFrom('parameters').where('scope', '=', this.scope).where('scope_id', '=', scopeId),
      search: (text) => compileParameterSearch(text, dialect, user),
      orderColumns: { name: 'name', id: 'id', parameter_type: 'parameter_type' },
      defaultOrder: 'name',
      tiebreak: ['id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeParameter),
    });
  }

  /** A parameter of owner `ownerRef` by id or name. */
  async show(ownerRef: string | undefined, ref: string): Promise<Parameter> {
    return serializeParameter(await this.find(this.db, await this.ownerId(this.db, ownerRef), ref));
  }

  /** Creates a parameter (409 when the owner has one of that name). */
  create(ownerRef: string | undefined, body: ParameterCreate): Promise<Parameter> {
    const name = body.name;
    checkParameterName(name);
    const rawValue = body.value;
    if (rawValue === undefined || rawValue === null) throw new InputError("value can't be blank");
    const value = valueText(rawValue);
    checkParameterValue(name, value);
    return this.db.transaction().execute(async (trx) => {
      const scopeId = await this.ownerId(trx, ownerRef);
      const exists = await trx.selectFrom('parameters').select('id').where('scope', '=', this.scope).where('scope_id', '=', scopeId).where('name', '=', name).executeTakeFirst();
      if (exists) throw new ConflictError(`Name has already been taken: parameter '${name}' exists`);
      const now = nowIso();
      const hidden = flag(bool(body.hidden_value) === true || SECRET_PARAMETERS.has(name));
      const row = await trx
        .insertInto('parameters')
        .values({
          scope: this.scope,
          scope_id: scopeId,
          name,
          value: storedParameterValue(this.secrets, name, hidden, value),
          parameter_type: body.parameter_type ?? 'string',
          hidden_value: hidden,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return serializeParameter(row);
    });
  }

  /** Renames, revalues or (un)hides a parameter. */
  update(ownerRef: string | undefined, ref: string, body: ParameterUpdate): Promise<Parameter> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.find(trx, await this.ownerId(trx, ownerRef), ref);
      const name = body.name ?? row.name;
      checkParameterName(name);
      const rawValue = body.value;
      // The value is opened and sealed again: a change of name or of the hidden mark may change whether it is sealed.
      const value = rawValue === undefined ? (isHiddenParameter(row.name, row.hidden_value) ? this.secrets.open(row.value) : row.value) : valueText(rawValue);
      checkParameterValue(name, value);
      const given = bool(body.hidden_value);
      const hidden = given === undefined ? row.hidden_value : flag(given);
      const updated = await trx
        .updateTable('parameters')
        .set({ name, value: storedParameterValue(this.secrets, name, hidden, value), hidden_value: hidden, updated_at: nowIso() })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return serializeParameter(updated);
    });
  }

  /** Deletes a parameter; answers it as it was. */
  delete(ownerRef: string | undefined, ref: string): Promise<Parameter> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.find(trx, await this.ownerId(trx, ownerRef), ref);
      await trx.deleteFrom('parameters').where('id', '=', row.id).execute();
      return serializeParameter(row);
    });
  }
}
