/**
 * @module
 * A small inventory (hosts, hostgroups, facts, parameters, users, jobs and their per-host
 * tasks) and the search definitions a server would write for it: column fields, a custom
 * relation field (`hostgroup`), key-value fields (`facts.<name>`, `params.<name>` through the
 * host → hostgroup hierarchy), translated sets, booleans, dates, `current_user`.
 * The clock is fixed at {@link NOW}.
 */
import { sql } from 'kysely';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';

import { defineSearch } from '../../src/index.ts';
import type { SearchDialect } from '../../src/index.ts';

/** The fixed "now" of every test: 2026-11-25 12:00 UTC. */
export const NOW = new Date('2026-11-25T12:00:00Z');

export interface HostgroupTable { id: number; name: string; title: string }
export interface HostTable {
  id: number; name: string; ip: string | null; comment: string | null; hostgroup_id: number | null;
  os: string | null; os_major: number | null; execution_status: number; enabled: boolean | number; last_report: Date | string | null;
}
export interface FactNameTable { id: number; name: string }
export interface FactValueTable { host_id: number; fact_name_id: number; value: string }
export interface ParameterTable { id: number; host_id: number | null; hostgroup_id: number | null; name: string; value: string }
export interface UserTable { id: number; login: string }
export interface JobTable {
  id: number; description: string; job_category: string; status: number; start_at: Date | string | null;
  started_at: Date | string | null; ended_at: Date | string | null; recurring: boolean | number; user_id: number | null;
}
export interface TaskTable { id: number; job_id: number; host_id: number; result: string | null }

/** The fixture schema as Kysely sees it. */
export interface InventoryDatabase {
  hostgroups: HostgroupTable;
  hosts: HostTable;
  fact_names: FactNameTable;
  fact_values: FactValueTable;
  parameters: ParameterTable;
  users: UserTable;
  jobs: JobTable;
  tasks: TaskTable;
}

/** Host names by id, for readable failures. */
export const HOST_NAMES: Readonly<Record<number, string>> = {
  1: 'rex01.example.com', 2: 'rex02.example.com', 3: 'db01.example.com', 4: 'db02.example.com', 5: 'a', 6: 'b',
  7: 'staging.example.com', 8: 'ünïcode-ħost', 9: 'under_score', 10: 'underxscore', 11: 'web-01',
};

/** The stranger values are what the injection suite checks. */
export const EVIL_COMMENT = 'O\'Brien said "hi"; DROP TABLE hosts; --';

type Row = readonly unknown[];
const HOSTS: Row[] = [
  // id, name, ip, comment, hostgroup, os, os_major, execution_status, enabled, last_report
  [1, HOST_NAMES[1], '10.0.0.1', 'primary web', 1, 'Debian', 12, 0, true, '2026-11-25T11:00:00Z'],
  [2, HOST_NAMES[2], '10.0.0.2', null, 1, 'Debian', 11, 1, true, '2026-11-24T08:00:00Z'],
  [3, HOST_NAMES[3], '10.0.1.1', '100% busy', 2, 'CentOS', 7, 1, false, '2026-11-20T00:00:00Z'],
  [4, HOST_NAMES[4], '10.0.1.2', 'set_up later', 2, 'CentOS', 8, 0, true, null],
  [5, HOST_NAMES[5], null, 'single letter', null, null, null, 0, true, '2025-01-01T00:00:00Z'],
  [6, HOST_NAMES[6], '10.0.2.2', 'web node', 3, 'Debian', 12, 0, false, '2026-11-25T00:30:00Z'],
  [7, HOST_NAMES[7], '10.0.3.1', EVIL_COMMENT, 3, 'Ubuntu', 22, 1, true, null],
  [8, HOST_NAMES[8], '10.0.4.1', 'Ümlaut ✓', null, 'Debian', 12, 0, true, null],
  [9, HOST_NAMES[9], '10.0.5.1', 'a_b', null, null, null, 0, true, null],
  [10, HOST_NAMES[10], '10.0.5.2', 'aXb', null, null, null, 0, true, null],
  [11, HOST_NAMES[11], '10.0.6.1', 'back\\slash', 1, 'Debian', 10, 0, true, null],
];

const FACTS: ReadonlyArray<readonly [string, Readonly<Record<number, string>>]> = [
  ['os_family', { 1: 'Debian', 2: 'Debian', 3: 'RedHat', 4: 'RedHat', 6: 'Debian', 7: 'Debian', 8: 'Debian', 11: 'Debian' }],
  ['memorysize_mb', { 1: '2048', 2: '512', 3: '16384', 4: '1024', 5: 'unknown', 6: '1024.5', 7: '-1', 11: '999' }],
  ['os::family', { 3: 'RedHat', 4: 'RedHat' }],
  ['cpus', { 1: '4', 2: '2', 3: '16' }],
];

const PARAMETERS: Row[] = [
  // id, host_id, hostgroup_id, name, value
  [1, null, 1, 'role', 'web'],
  [2, null, 2, 'role', 'db'],
  [3, null, 3, 'role', 'frontend'],
  [4, 4, null, 'role', 'backup'],
  [5, 5, null, 'role', 'db'],
  [6, 9, null, 'ssh_port', '2222'],
  [7, null, 1, 'ssh_port', '22'],
];

const JOBS: Row[] = [
  // id, description, job_category, status, start_at, started_at, ended_at, recurring, user_id
  [1, 'setup web', 'Commands', 0, '2026-11-25T10:00:00Z', '2026-11-25T10:00:05Z', '2026-11-25T10:01:00Z', false, 1],
  [2, 'set hostname', 'Ansible Commands', 1, '2026-11-24T09:00:00Z', '2026-11-24T09:00:10Z', '2026-11-24T09:05:00Z', true, 2],
  [3, 'reboot', 'Power', 2, '2026-11-26T08:00:00Z', null, null, false, 1],
  [4, 'Set up db', 'Commands', 3, '2026-11-20T00:00:00Z', '2026-11-20T00:00:01Z', null, true, 2],
  [5, 'upgrade 100% packages', 'Packages', 4, '2025-06-01T12:00:00Z', '2025-06-01T12:00:00Z', '2025-06-01T12:30:00Z', false, null],
  [6, 'restart_service now', 'Services', 1, '2026-11-25T11:30:00Z', '2026-11-25T11:30:00Z', '2026-11-25T11:31:00Z', false, 1],
];

const TASKS: Row[] = [
  // job_id, host_id, result
  [1, 1, 'success'], [1, 2, 'success'], [1, 11, 'success'],
  [2, 3, 'error'], [2, 4, 'success'],
  [3, 6, null],
  [4, 3, 'pending'],
  [5, 7, 'cancelled'],
  [6, 1, 'error'], [6, 5, 'warning'],
];

/** Creates the schema and loads the rows, with the column types of each dialect. */
export async function loadInventory(db: Kysely<InventoryDatabase>, dialect: SearchDialect): Promise<void> {
  const bool = dialect === 'postgres' ? 'boolean' : 'integer';
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  const b = (v: unknown): unknown => (dialect === 'sqlite' && typeof v === 'boolean' ? (v ? 1 : 0) : v);
  const t = (v: unknown): unknown => (typeof v === 'string' && dialect === 'sqlite' ? new Date(v).toISOString() : typeof v === 'string' ? new Date(v) : v);

  await db.schema.createTable('hostgroups').addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull()).addColumn('title', 'text', (c) => c.notNull()).execute();
  await db.schema.createTable('hosts').addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull()).addColumn('ip', 'text').addColumn('comment', 'text')
    .addColumn('hostgroup_id', 'integer').addColumn('os', 'text').addColumn('os_major', 'integer')
    .addColumn('execution_status', 'integer', (c) => c.notNull()).addColumn('enabled', sql.raw(bool), (c) => c.notNull())
    .addColumn('last_report', sql.raw(time)).execute();
  await db.schema.createTable('fact_names').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).execute();
  await db.schema.createTable('fact_values').addColumn('host_id', 'integer', (c) => c.notNull())
    .addColumn('fact_name_id', 'integer', (c) => c.notNull()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await db.schema.createTable('parameters').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('host_id', 'integer')
    .addColumn('hostgroup_id', 'integer').addColumn('name', 'text', (c) => c.notNull()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await db.schema.createTable('users').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('login', 'text', (c) => c.notNull()).execute();
  await db.schema.createTable('jobs').addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull()).addColumn('job_category', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull()).addColumn('start_at', sql.raw(time)).addColumn('started_at', sql.raw(time))
    .addColumn('ended_at', sql.raw(time)).addColumn('recurring', sql.raw(bool), (c) => c.notNull()).addColumn('user_id', 'integer').execute();
  await db.schema.createTable('tasks').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('job_id', 'integer', (c) => c.notNull())
    .addColumn('host_id', 'integer', (c) => c.notNull()).addColumn('result', 'text').execute();

  await db.insertInto('hostgroups').values([
    { id: 1, name: 'web', title: 'web' }, { id: 2, name: 'db', title: 'db' }, { id: 3, name: 'webservers', title: 'web/webservers' },
  ]).execute();
  await db.insertInto('hosts').values(HOSTS.map(([id, name, ip, comment, hg, os, major, status, enabled, report]) => ({
    id, name, ip, comment, hostgroup_id: hg, os, os_major: major, execution_status: status, enabled: b(enabled), last_report: t(report),
  }) as HostTable)).execute();
  let factId = 0;
  for (const [name, values] of FACTS) {
    factId++;
    await db.insertInto('fact_names').values({ id: factId, name }).execute();
    const id = factId;
    await db.insertInto('fact_values').values(Object.entries(values).map(([host, value]) => ({ host_id: Number(host), fact_name_id: id, value }))).execute();
  }
  await db.insertInto('parameters').values(PARAMETERS.map(([id, host_id, hostgroup_id, name, value]) => ({ id, host_id, hostgroup_id, name, value }) as ParameterTable)).execute();
  await db.insertInto('users').values([{ id: 1, login: 'admin' }, { id: 2, login: 'bob' }]).execute();
  await db.insertInto('jobs').values(JOBS.map(([id, description, job_category, status, start_at, started_at, ended_at, recurring, user_id]) => ({
    id, description, job_category, status, start_at: t(start_at), started_at: t(started_at), ended_at: t(ended_at), recurring: b(recurring), user_id,
  }) as JobTable)).execute();
  await db.insertInto('tasks').values(TASKS.map(([job_id, host_id, result], i) => ({ id: i + 1, job_id, host_id, result }) as TaskTable)).execute();
}

type TaskEb = ExpressionBuilder<InventoryDatabase, 'tasks'>;

/** Host search: the kinds of fields the server's host resource uses. */
export const hostSearch = defineSearch<InventoryDatabase, 'hosts'>({
  fields: {
    id: { type: 'integer', column: 'hosts.id', onlyExplicit: true },
    name: { type: 'string', column: 'hosts.name' },
    ip: { type: 'string', column: 'hosts.ip' },
    comment: { type: 'string', column: 'hosts.comment' },
    os: { type: 'string', column: 'hosts.os' },
    os_major: { type: 'integer', column: 'hosts.os_major' },
    last_report: { type: 'datetime', column: 'hosts.last_report' },
    hostgroup_id: { type: 'integer', column: 'hosts.hostgroup_id', onlyExplicit: true },
    execution_status: { type: 'set', column: 'hosts.execution_status', values: { ok: 0, error: 1 }, onlyExplicit: true },
    enabled: { type: 'boolean', column: 'hosts.enabled' },
    // A relation through an EXISTS subquery; comparison.test() applies operator and value.
    hostgroup: {
      type: 'string',
      build: (eb, c) => eb.exists(eb.selectFrom('hostgroups').select(sql.lit(1).as('one'))
        .whereRef('hostgroups.id', '=', 'hosts.hostgroup_id').where((sub) => c.test(sub.ref('hostgroups.name')))),
    },
    hostgroup_fullname: {
      type: 'string',
      onlyExplicit: true,
      build: (eb, c) => eb.exists(eb.selectFrom('hostgroups').select(sql.lit(1).as('one'))
        .whereRef('hostgroups.id', '=', 'hosts.hostgroup_id').where((sub) => c.test(sub.ref('hostgroups.title')))),
    },
    // Key-value: facts.<name>
    facts: {
      type: 'string',
      keyValue: true,
      build: (eb, c) => eb.exists(eb.selectFrom('fact_values')
        .innerJoin('fact_names', 'fact_names.id', 'fact_values.fact_name_id')
        .select(sql.lit(1).as('one'))
        .whereRef('fact_values.host_id', '=', 'hosts.id')
        .where('fact_names.name', '=', c.key)
        .where((sub) => c.test(sub.ref('fact_values.value')))),
    },
    // Key-value through a hierarchy: the host's own parameter wins over its hostgroup's.
    params: {
      type: 'string',
      keyValue: true,
      build: (eb, c) => eb.or([
        eb.exists(eb.selectFrom('parameters').select(sql.lit(1).as('one'))
          .whereRef('parameters.host_id', '=', 'hosts.id').where('parameters.name', '=', c.key)
          .where((sub) => c.test(sub.ref('parameters.value')))),
        eb.and([
          eb.not(eb.exists(eb.selectFrom('parameters').select(sql.lit(1).as('one'))
            .whereRef('parameters.host_id', '=', 'hosts.id').where('parameters.name', '=', c.key))),
          eb.exists(eb.selectFrom('parameters').select(sql.lit(1).as('one'))
            .whereRef('parameters.hostgroup_id', '=', 'hosts.hostgroup_id').where('parameters.name', '=', c.key)
            .where((sub) => c.test(sub.ref('parameters.value')))),
        ]),
      ]),
    },
    // Both job_invocation.* fields are tied to one task when ANDed (relation 'task').
    'job_invocation.id': {
      type: 'integer',
      onlyExplicit: true,
      relation: { name: 'task', condition: (sub: TaskEb, c) => c.test(sub.ref('tasks.job_id')) },
      build: (eb, c) => eb.exists(eb.selectFrom('tasks').select(sql.lit(1).as('one'))
        .whereRef('tasks.host_id', '=', 'hosts.id').where((sub) => c.test(sub.ref('tasks.job_id')))),
    },
    // Foreman: `=` → IN, anything else → NOT IN, hence negation 'outside'; failed = error or warning.
    'job_invocation.result': {
      type: 'set',
      onlyExplicit: true,
      negation: 'outside',
      values: { success: 'success', failed: ['error', 'warning'], cancelled: 'cancelled', pending: 'pending', 'N/A': 'N/A' },
      relation: { name: 'task', condition: (sub: TaskEb, c) => c.test(sub.fn.coalesce('tasks.result', sql.lit('N/A'))) },
      build: (eb, c) => eb.exists(eb.selectFrom('tasks').select(sql.lit(1).as('one'))
        .whereRef('tasks.host_id', '=', 'hosts.id').where((sub) => c.test(sub.fn.coalesce('tasks.result', sql.lit('N/A'))))),
    },
  },
  relations: {
    task: (eb, conditions) =>
      eb.exists(eb.selectFrom('tasks').select(sql.lit(1).as('one')).whereRef('tasks.host_id', '=', 'hosts.id')
        .where((sub) => sub.and(conditions.map((condition) => (condition as (s: TaskEb) => Expression<SqlBool>)(sub))))),
  },
});

/** Job invocation search. */
export const jobSearch = defineSearch<InventoryDatabase, 'jobs'>({
  fields: {
    id: { type: 'integer', column: 'jobs.id' },
    description: { type: 'string', column: 'jobs.description' },
    job_category: { type: 'string', column: 'jobs.job_category' },
    status: {
      type: 'set', column: 'jobs.status', onlyExplicit: true,
      values: { succeeded: 0, failed: 1, queued: 2, running: 3, cancelled: 4 },
    },
    start_at: { type: 'datetime', column: 'jobs.start_at' },
    started_at: { type: 'datetime', column: 'jobs.started_at' },
    ended_at: { type: 'datetime', column: 'jobs.ended_at' },
    recurring: { type: 'boolean', column: 'jobs.recurring' },
    user: {
      type: 'string',
      onlyExplicit: true,
      aliases: ['owner'],
      currentUser: 'login',
      build: (eb, c) => (c.operator === 'set'
        ? eb('jobs.user_id', 'is not', null)
        : eb.exists(eb.selectFrom('users').select(sql.lit(1).as('one'))
          .whereRef('users.id', '=', 'jobs.user_id').where((sub) => c.test(sub.ref('users.login'))))),
    },
    host: {
      type: 'string',
      build: (eb, c) => eb.exists(eb.selectFrom('tasks').innerJoin('hosts', 'hosts.id', 'tasks.host_id')
        .select(sql.lit(1).as('one')).whereRef('tasks.job_id', '=', 'jobs.id').where((sub) => c.test(sub.ref('hosts.name')))),
    },
    targeted_host_id: {
      type: 'integer',
      onlyExplicit: true,
      operators: ['='],
      build: (eb, c) => eb.exists(eb.selectFrom('tasks').select(sql.lit(1).as('one'))
        .whereRef('tasks.job_id', '=', 'jobs.id').where((sub) => c.test(sub.ref('tasks.host_id')))),
    },
  },
});
