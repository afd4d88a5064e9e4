/**
 * @module
 * The state of one audited record, read with plain queries (no route or store logic): its
 * columns plus a few associations (a user's roles, a filter's permissions), the name it is
 * shown by, and which of its fields are secrets (masked before anything is stored, see
 * `audit-changes.ts`). A reference is a numeric id or the record's name, as the routes take them.
 */
import type { Kysely } from 'kysely';

import type { Database, ParameterScope } from '../db/schema.ts';
import { parameterOwnerId } from '../parameters/parameter-owners.ts';
import { chunks, isSet } from '../db/time.ts';
import { isHiddenParameter } from '../parameters/hidden-parameters.ts';

/** One record as the audit sees it. */
export interface AuditSnapshot {
  /** The record's id (text: settings are named). */
  readonly id: string;
  /** The name the record is known by (login, name, description…). */
  readonly name: string | null;
  /** Its audited fields. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Names of the fields whose values are secrets (stored as `*****`). */
  readonly secret: ReadonlySet<string>;
}

/** Reads one record by reference; `params` are the route's path parameters (owners of nested records). */
export type AuditLoader = (db: Kysely<Database>, ref: string, params: Readonly<Record<string, string>>) => Promise<AuditSnapshot | null>;

type Row = Record<string, unknown>;
// Tables are named by the loader table below, not by the caller: a loose view of the database.
type LooseDb = Kysely<Record<string, Row>>;

/** Columns never audited: bookkeeping, not a change anyone made. */
const IGNORED = new Set(['id', 'created_at', 'updated_at', 'last_login_at', 'last_used_at', 'started_at', 'ended_at', 'claimed_by', 'lease_expires_at']);
/** Columns that always hold secrets (hashes, sealed credentials, rendered scripts with inputs). */
const ALWAYS_SECRET = new Set(['password_hash', 'token_hash', 'session_hash', 'csrf_token', 'credential', 'preview_script', 'effective_user_password', 'ssh_password', 'key_passphrase', 'secret', 'headers']);
/** Settings whose values are secrets (none today; any such name is masked). */
const SECRET_SETTING = /password|secret|token|credential|private|_key$/i;

/**
 * Columns that hold a flag (`Flag` in `db/schema.ts`, stored 0/1): audited as `true`/`false`, as
 * Foreman shows them. A test keeps this list equal to the schema's.
 */
export const FLAG_COLUMNS: ReadonlySet<string> = new Set([
  'admin',
  'advanced',
  'builtin',
  'default_template',
  'effective_user_current_user',
  'effective_user_overridable',
  'enabled',
  'hidden_value',
  'host_action_button',
  'include_all',
  'locked',
  'public',
  'randomized_ordering',
  'required',
  'snippet',
]);

/** A flag as a boolean (0/1, also as text from some drivers); anything else as it is. */
function flagValue(v: unknown): unknown {
  if (v === 0 || v === '0' || v === false) return false;
  if (v === 1 || v === '1' || v === true) return true;
  return v;
}

/** A numeric reference within the range of an integer id column (a larger one is a name, or nothing). */
const isId = (ref: string): boolean => /^[0-9]{1,10}$/.test(ref) && Number(ref) <= 2_147_483_647;

async function rowOf(db: Kysely<Database>, table: string, ref: string, nameColumns: readonly string[], where: Row = {}): Promise<Row | null> {
  const loose = db as unknown as LooseDb;
  let q = loose.selectFrom(table).selectAll();
  for (const [column, value] of Object.entries(where)) q = q.where(column, '=', value);
  if (isId(ref) && table !== 'settings') {
    const byId = await q.where('id', '=', Number(ref)).executeTakeFirst();
    if (byId !== undefined) return byId;
  }
  for (const column of nameColumns) {
    const byName = await q.where(column, '=', ref).limit(1).executeTakeFirst();
    if (byName !== undefined) return byName;
  }
  return null;
}

function snapshot(row: Row, name: unknown, secret: Iterable<string> = [], extra: Row = {}): AuditSnapshot {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...row, ...extra })) if (!IGNORED.has(k)) fields[k] = FLAG_COLUMNS.has(k) ? flagValue(v) : v;
  const masked = new Set([...secret, ...Object.keys(fields).filter((k) => ALWAYS_SECRET.has(k))]);
  return { id: String(row.id ?? row.name), name: typeof name === 'string' || typeof name === 'number' ? String(name) : null, fields, secret: masked };
}

/** A loader of `table` rows referenced by id or by one of `nameColumns`, named by `nameColumn`. */
function simple(table: string, nameColumns: readonly string[], nameColumn: string = nameColumns[0] ?? 'name'): AuditLoader {
  return async (db, ref) => {
    const row = await rowOf(db, table, ref, nameColumns);
    return row === null ? null : snapshot(row, row[nameColumn]);
  };
}

/** The parameters of a host or hostgroup as `{name: value}`, hidden values masked (changes of those show only as a change of the mark). */
async function ownParameters(db: Kysely<Database>, scope: 'host' | 'hostgroup', id: number): Promise<Record<string, string>> {
  const rows = await db.selectFrom('parameters').select(['name', 'value', 'hidden_value']).where('scope', '=', scope).where('scope_id', '=', id).orderBy('name').execute();
  return Object.fromEntries(rows.map((r) => [r.name, isHiddenParameter(r.name, r.hidden_value) ? MASK : r.value]));
}

/** Hosts and hostgroups with their own parameters (created and changed with them). */
function withParameters(table: 'hosts' | 'hostgroups', nameColumns: readonly string[]): AuditLoader {
  return async (db, ref) => {
    const row = await rowOf(db, table, ref, nameColumns);
    if (row === null) return null;
    const scope = table === 'hosts' ? 'host' : 'hostgroup';
    return snapshot(row, row[nameColumns[0] ?? 'name'], [], { parameters: await ownParameters(db, scope, Number(row.id)) });
  };
}

/** Job templates with their inputs (hidden defaults masked), which a template update may change. */
const templates: AuditLoader = async (db, ref) => {
  const row = await rowOf(db, 'job_templates', ref, ['name']);
  if (row === null) return null;
  const inputs = await db.selectFrom('template_inputs').selectAll().where('template_id', '=', Number(row.id)).orderBy('id').execute();
  const shown = inputs.map(({ id: _id, template_id: _t, ...i }) => ({ ...i, default_value: isSet(i.hidden_value) && i.default_value !== null ? MASK : i.default_value }));
  return snapshot(row, row.name, [], { template_inputs: shown });
};

/** The id of the owner (host or hostgroup) of a nested parameter route, or null. */
async function ownerId(db: Kysely<Database>, table: 'hosts' | 'hostgroups', ref: string | undefined): Promise<number | null> {
  if (ref === undefined) return null;
  const row = await rowOf(db, table, ref, table === 'hosts' ? ['name'] : ['title', 'name']);
  return row === null ? null : Number(row.id);
}

/** Loader of the parameters of one scope (`common`, `host`, `hostgroup`). */
export function parameterLoader(scope: ParameterScope): AuditLoader {
  return async (db, ref, params) => {
    const scopeId =
      scope === 'common'
        ? 0
        : scope === 'host' || scope === 'hostgroup'
          ? await ownerId(db, scope === 'host' ? 'hosts' : 'hostgroups', params.owner)
          : params.owner === undefined
            ? null
            : await parameterOwnerId(db, scope, params.owner).catch(() => null);
    if (scopeId === null) return null;
    const row = await rowOf(db, 'parameters', ref, ['name'], { scope, scope_id: scopeId });
    if (row === null) return null;
    return snapshot(row, row.name, isHiddenParameter(String(row.name), Number(row.hidden_value)) ? ['value'] : []);
  };
}

const users: AuditLoader = async (db, ref) => {
  const row = await rowOf(db, 'users', ref, ['login']);
  if (row === null) return null;
  const roles = await db.selectFrom('user_roles').select('role_id').where('user_id', '=', Number(row.id)).orderBy('role_id').execute();
  return snapshot(row, row.login, [], { role_ids: roles.map((r) => r.role_id) });
};

const filters: AuditLoader = async (db, ref) => {
  const row = await rowOf(db, 'filters', ref, []);
  if (row === null) return null;
  const perms = await db.selectFrom('filter_permissions').select('permission').where('filter_id', '=', Number(row.id)).orderBy('permission').execute();
  return snapshot(row, row.resource_type, [], { permissions: perms.map((p) => p.permission) });
};

const templateInputs: AuditLoader = async (db, ref, params) => {
  const template = await rowOf(db, 'job_templates', params.template_id ?? '', ['name']);
  if (template === null) return null;
  const row = await rowOf(db, 'template_inputs', ref, ['name'], { template_id: template.id });
  return row === null ? null : snapshot(row, row.name, isSet(Number(row.hidden_value)) ? ['default_value'] : []);
};

const foreignInputSets: AuditLoader = async (db, ref, params) => {
  const template = await rowOf(db, 'job_templates', params.template_id ?? '', ['name']);
  if (template === null) return null;
  const row = await rowOf(db, 'foreign_input_sets', ref, [], { template_id: template.id });
  return row === null ? null : snapshot(row, null);
};

const settings: AuditLoader = async (db, ref) => {
  // A setting never changed has no row (its default applies): its value before is null.
  const row = (await rowOf(db, 'settings', ref, ['name'])) ?? { name: ref, value: null };
  return snapshot(row, row.name, SECRET_SETTING.test(ref) ? ['value'] : []);
};

/** Job inputs with the values of its hidden inputs masked (the names frozen at creation, or the template's). */
const jobs: AuditLoader = async (db, ref) => {
  const row = await rowOf(db, 'job_invocations', ref, []);
  if (row === null) return null;
  let hidden: string[];
  if (typeof row.hidden_inputs === 'string') {
    hidden = JSON.parse(row.hidden_inputs) as string[];
  } else {
    const inputs = await db.selectFrom('template_inputs').select('name').where('template_id', '=', Number(row.template_id)).where('hidden_value', '=', 1).execute();
    hidden = inputs.map((i) => i.name);
  }
  const stored = JSON.parse(typeof row.inputs === 'string' ? row.inputs : '{}') as Record<string, unknown>;
  const inputs = Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, hidden.includes(k) ? MASK : v]));
  const { hidden_inputs: _names, ...rest } = row;
  return snapshot(rest, row.description, [], { inputs });
};

/** The hosts named `names` (those that exist), by name: for bulk writes (host import). */
export async function hostsByName(db: Kysely<Database>, names: readonly string[]): Promise<Map<string, AuditSnapshot>> {
  const found = new Map<string, AuditSnapshot>();
  for (const part of chunks(names, 1000)) {
    const rows = await db.selectFrom('hosts').selectAll().where('name', 'in', part).execute();
    const params = rows.length === 0 ? [] : await db.selectFrom('parameters').select(['scope_id', 'name', 'value', 'hidden_value']).where('scope', '=', 'host').where('scope_id', 'in', rows.map((r) => r.id)).orderBy('name').execute();
    for (const row of rows) {
      const own = params.filter((p) => p.scope_id === row.id).map((p) => [p.name, isHiddenParameter(p.name, p.hidden_value) ? MASK : p.value]);
      found.set(row.name, snapshot(row, row.name, [], { parameters: Object.fromEntries(own) }));
    }
  }
  return found;
}

/** What secrets are stored as. */
export const MASK = '*****';

/** The loader of each audited type. */
export const AUDIT_LOADERS: Readonly<Record<string, AuditLoader>> = {
  host: withParameters('hosts', ['name']),
  hostgroup: withParameters('hostgroups', ['title', 'name']),
  common_parameter: parameterLoader('common'),
  host_parameter: parameterLoader('host'),
  hostgroup_parameter: parameterLoader('hostgroup'),
  subnet: simple('subnets', ['name']),
  smart_proxy: simple('smart_proxies', ['name']),
  proxy_credential: simple('proxy_credentials', ['name']),
  operatingsystem: simple('operatingsystems', ['name']),
  domain: simple('domains', ['name']),
  organization: simple('taxonomies', ['title']),
  location: simple('taxonomies', ['title']),
  bookmark: simple('bookmarks', ['name']),
  setting: settings,
  user: users,
  personal_access_token: simple('personal_access_tokens', []),
  role: simple('roles', ['name']),
  filter: filters,
  job_template: templates,
  template_input: templateInputs,
  foreign_input_set: foreignInputSets,
  remote_execution_feature: simple('remote_execution_features', ['label', 'name']),
  job_invocation: jobs,
  recurring_logic: simple('recurring_logics', ['purpose', 'cron_line']),
  webhook: simple('webhooks', ['name']),
};
