/**
 * Encryption at rest on both dialects, at the store level: a database written before it existed
 * (hidden parameter values, hidden job inputs and rendered scripts in clear) is brought up to it by
 * the start-up reseal, once and idempotently; afterwards neither the rows (raw queries) nor, on
 * SQLite, the database file and its WAL hold a clear secret, and every sealed value opens to what
 * it was. The file modes of the SQLite files are checked too.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

import type { TestDatabase } from '@remex/testkit';
import { DIALECTS, createTestDatabase, sqliteFilePath } from '@remex/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { migrateToLatest, openStore } from '../src/db/database.ts';
import { nowIso } from '../src/db/time.ts';
import { RESEALED_MARK, resealSecrets } from '../src/secrets/reseal.ts';
import { SecretBox } from '../src/secrets/secret-box.ts';

const PARAM_SECRET = 'legacy-Param-s3cret';
const PASSWORD = 'legacy-Ssh-passw0rd';
const INPUT_SECRET = 'legacy-Input-s3cret';
const VISIBLE = 'plainly-visible-value';

/** Every row of the tables that may hold secrets, as text. */
async function rawRows(store: Store): Promise<string> {
  const out: string[] = [];
  for (const table of ['parameters', 'job_invocations', 'template_invocations', 'settings']) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(store.db);
    out.push(JSON.stringify(rows.rows));
  }
  return out.join('\n');
}

/** The SQLite database file and its WAL, as text. */
function sqliteBytes(url: string): string {
  const file = sqliteFilePath(url);
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('\n');
}

describe.each(DIALECTS)('secrets at rest (%s)', (DIALECT) => {
  let database: TestDatabase;
  let store: Store;
  const box = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    database = await createTestDatabase(DIALECT);
    store = openStore(database.url);
    await migrateToLatest(store);
    // A database as an older server wrote it: secrets in clear.
    const now = nowIso();
    const host = await store.db
      .insertInto('hosts')
      .values({ name: 'legacy.test', ip: null, ip6: null, hostgroup_id: null, subnet_id: null, operatingsystem_id: null, domain_name: null, comment: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const param = (name: string, value: string, hidden: number) => ({ scope: 'host' as const, scope_id: host.id, name, value, parameter_type: 'string', hidden_value: hidden, created_at: now, updated_at: now });
    await store.db
      .insertInto('parameters')
      .values([param('db_pass', PARAM_SECRET, 1), param('remote_execution_ssh_password', PASSWORD, 0), param('colour', VISIBLE, 0), param('empty_secret', '', 1)])
      .execute();
    const template = await store.db
      .insertInto('job_templates')
      .values({ name: 'Legacy', job_category: 'Tests', provider_type: 'script', template: 'echo <%= input("tok") %>', snippet: 0, locked: 0, description_format: null, description: null, execution_timeout_interval: null, effective_user_value: null, effective_user_overridable: 0, effective_user_current_user: 0, default_template: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('template_inputs')
      .values([
        { template_id: template.id, name: 'tok', input_type: 'user', required: 0, hidden_value: 1, advanced: 0, options: null, default_value: null, description: null, value_type: 'plain', fact_name: null, variable_name: null, puppet_class_name: null, puppet_parameter_name: null },
      ])
      .execute();
    const job = await store.db
      .insertInto('job_invocations')
      .values({
        description: 'Legacy', job_category: 'Tests', description_format: null, template_id: template.id, targeting_type: 'static_query', search_query: 'name = legacy.test', bookmark_id: null, randomized_ordering: 0,
        user_id: null, inputs: JSON.stringify({ tok: INPUT_SECRET }), effective_user: null, ssh_user: null, concurrency_level: null, execution_timeout_interval: null, state: 'stopped', result: 'success',
        total_hosts: 1, start_at: now, mode: 'immediate', start_before: null, created_at: now, preview_script: null, hidden_inputs: null, remote_execution_feature_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('template_invocations')
      .values({ job_invocation_id: job.id, template_id: template.id, host_id: host.id, position: 0, state: 'stopped', result: 'success', smart_proxy_id: null, exit_status: '0', message: null, started_at: now, ended_at: now, rendered_script: `echo ${INPUT_SECRET} ${PARAM_SECRET} ${VISIBLE}\nsshpass -p '${PASSWORD}'\n` })
      .execute();
  });

  afterAll(async () => {
    await store?.destroy();
    await database?.drop();
  });

  it('holds the secrets in clear before the reseal (the test can see them)', async () => {
    const raw = await rawRows(store);
    for (const s of [PARAM_SECRET, PASSWORD, INPUT_SECRET]) expect(raw).toContain(s);
  });

  it('seals hidden parameter and input values, masks stored scripts, once, and leaves no clear copy behind', async () => {
    const first = await resealSecrets(store, box);
    expect(first).toEqual({ parameters: 2, jobs: 1, scripts: 1 });
    // Idempotent: nothing left to do; only the parameter pass runs again.
    expect(await resealSecrets(store, box)).toEqual({ parameters: 0, jobs: 0, scripts: 0 });
    expect(await store.db.selectFrom('settings').select('name').where('name', '=', RESEALED_MARK).executeTakeFirst()).toBeDefined();

    const raw = await rawRows(store);
    for (const s of [PARAM_SECRET, PASSWORD, INPUT_SECRET]) expect(raw).not.toContain(s);
    expect(raw).toContain(VISIBLE);
    if (DIALECT === 'sqlite') {
      const bytes = sqliteBytes(database.url);
      for (const s of [PARAM_SECRET, PASSWORD, INPUT_SECRET]) expect(bytes).not.toContain(s);
    }

    const params = await store.db.selectFrom('parameters').select(['name', 'value']).orderBy('name').execute();
    const byName = new Map(params.map((p) => [p.name, p.value]));
    expect(SecretBox.isSealed(byName.get('db_pass') ?? '')).toBe(true);
    expect(box.open(byName.get('db_pass') ?? '')).toBe(PARAM_SECRET);
    expect(box.open(byName.get('remote_execution_ssh_password') ?? '')).toBe(PASSWORD);
    expect(byName.get('colour')).toBe(VISIBLE);
    // An empty hidden value stays empty (existence checks see the same text).
    expect(byName.get('empty_secret')).toBe('');

    const job = await store.db.selectFrom('job_invocations').select(['inputs', 'hidden_inputs']).executeTakeFirstOrThrow();
    const inputs = JSON.parse(job.inputs) as Record<string, string>;
    expect(box.open(inputs.tok ?? '')).toBe(INPUT_SECRET);
    expect(JSON.parse(job.hidden_inputs ?? 'null')).toEqual(['tok']);
    const task = await store.db.selectFrom('template_invocations').select('rendered_script').executeTakeFirstOrThrow();
    expect(task.rendered_script).toBe(`echo ***** ***** ${VISIBLE}\nsshpass -p '*****'\n`);
  });

  it.runIf(DIALECT === 'sqlite')('keeps the SQLite file and its -wal/-shm owner-only (0600), also when they existed wider', async () => {
    const file = sqliteFilePath(database.url);
    const mode = (f: string) => fs.statSync(f).mode & 0o777;
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f).toString(8)).toBe('600');
    // A database left readable by others (copied, older version) is narrowed when opened again.
    await store.destroy();
    fs.chmodSync(file, 0o644);
    store = openStore(database.url);
    await store.db.selectFrom('settings').selectAll().execute();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f).toString(8)).toBe('600');
  });
});
