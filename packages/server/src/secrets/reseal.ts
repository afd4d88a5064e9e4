/**
 * @module
 * The start-up step that brings a database written before encryption at rest up to it (after the
 * migrations, which do not have the key), in one transaction and idempotently:
 * - hidden parameter values still in clear are sealed (every start: cheap, and covers a server of
 *   an older version sharing the database);
 * - once (marked by the internal setting {@link RESEALED_MARK}): each job's hidden input values
 *   are sealed (its hidden input names frozen into `hidden_inputs` when it had none), and each
 *   stored `rendered_script` (then rendered with real values) has every hidden input and hidden
 *   parameter value masked.
 * On SQLite the WAL is then checkpointed and truncated, so no page image holding a clear value
 * stays in it (with `secure_delete`, the database file itself keeps none either).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

import type { Store } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { jobHiddenInputs, maskHiddenValues } from '../jobs/compose/hidden-inputs.ts';
import { isHiddenParameter } from '../parameters/hidden-parameters.ts';
import { sealClearParameters } from '../parameters/parameter-secrets.ts';
import { SecretBox } from './secret-box.ts';

/** Internal setting recorded once jobs and rendered scripts were resealed. */
export const RESEALED_MARK = '_secrets_resealed_v1';

/** What {@link resealSecrets} changed. */
export interface ResealCounts {
  parameters: number;
  jobs: number;
  scripts: number;
}

/** Seals clear secrets and masks stored scripts (see the module comment). */
export async function resealSecrets(store: Store, secrets: SecretBox): Promise<ResealCounts> {
  const counts = await store.db.transaction().execute(async (trx) => {
    const parameters = await sealClearParameters(trx, secrets);
    const done = await trx.selectFrom('settings').select('name').where('name', '=', RESEALED_MARK).executeTakeFirst();
    if (done) return { parameters, jobs: 0, scripts: 0 };
    const { jobs, scripts } = await resealJobs(trx, secrets);
    // Two servers starting at once on one PostgreSQL database may both get here: the second one's mark is a no-op.
    await trx.insertInto('settings').values({ name: RESEALED_MARK, value: JSON.stringify(new Date().toISOString()) }).onConflict((oc) => oc.column('name').doNothing()).execute();
    return { parameters, jobs, scripts };
  });
  if (store.dialect === 'sqlite' && counts.parameters + counts.jobs + counts.scripts > 0) await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  return counts;
}

async function resealJobs(db: Kysely<Database>, secrets: SecretBox): Promise<{ jobs: number; scripts: number }> {
  // Every hidden parameter value (opened), as scripts rendered before may hold any of them.
  const paramValues: Record<string, string> = {};
  const paramNames = new Set<string>();
  for (const p of await db.selectFrom('parameters').select(['id', 'name', 'value', 'hidden_value']).execute()) {
    if (!isHiddenParameter(p.name, p.hidden_value) || p.value === '') continue;
    paramValues[`p${p.id}`] = secrets.open(p.value);
    paramNames.add(`p${p.id}`);
  }
  let jobs = 0;
  let scripts = 0;
  let lastId = 0;
  for (let guard = 0; guard < 10_000_000; guard++) {
    const batch = await db.selectFrom('job_invocations').select(['id', 'template_id', 'hidden_inputs', 'inputs']).where('id', '>', lastId).orderBy('id').limit(500).execute();
    if (batch.length === 0) break;
    lastId = batch[batch.length - 1]?.id ?? lastId;
    const hiddenOf = await jobHiddenInputs(db, batch);
    for (const job of batch) {
      const hidden = hiddenOf.get(job.id) ?? new Set<string>();
      const stored = JSON.parse(job.inputs) as Record<string, string>;
      const clear: Record<string, string> = {};
      let changed = job.hidden_inputs === null;
      for (const [k, v] of Object.entries(stored)) {
        if (!hidden.has(k) || v === '' || SecretBox.isSealed(v)) continue;
        clear[k] = v;
        stored[k] = secrets.seal(v);
        changed = true;
      }
      if (changed) {
        await db.updateTable('job_invocations').set({ inputs: JSON.stringify(stored), hidden_inputs: JSON.stringify([...hidden]) }).where('id', '=', job.id).execute();
        jobs++;
      }
      const values = { ...paramValues, ...Object.fromEntries(Object.entries(clear).map(([k, v]) => [`i:${k}`, v])) };
      const names = new Set([...paramNames, ...Object.keys(clear).map((k) => `i:${k}`)]);
      if (names.size > 0) scripts += await maskScripts(db, job.id, values, names);
    }
  }
  return { jobs, scripts };
}

/** Masks the hidden values in the stored scripts of one job; returns how many changed. */
async function maskScripts(db: Kysely<Database>, jobId: number, values: Record<string, string>, names: ReadonlySet<string>): Promise<number> {
  let changed = 0;
  let lastId = 0;
  for (let guard = 0; guard < 10_000_000; guard++) {
    const rows = await db
      .selectFrom('template_invocations')
      .select(['id', 'rendered_script'])
      .where('job_invocation_id', '=', jobId)
      .where('id', '>', lastId)
      .where('rendered_script', 'is not', null)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]?.id ?? lastId;
    for (const r of rows) {
      const text = r.rendered_script ?? '';
      const masked = maskHiddenValues(text, values, names);
      if (masked === text) continue;
      await db.updateTable('template_invocations').set({ rendered_script: masked }).where('id', '=', r.id).execute();
      changed++;
    }
  }
  return changed;
}
