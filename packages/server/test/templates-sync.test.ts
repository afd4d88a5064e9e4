/**
 * Seeding of the shipped templates (Foreman's `70-job_templates.rb` semantics): created locked
 * and default, assigned to their features, and re-synced from disk only while
 * `remote_execution_sync_templates` is true.
 */
import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { defaultTemplateFiles, seedDefaultTemplates } from '../src/templates/default-templates.ts';
import { recordRevision } from '../src/templates/template-revisions.ts';
import type { TestStore } from './test-store.ts';
import { openTestStore } from './test-store.ts';

describe.each(DIALECTS)('shipped template seeding on %s', (dialect) => {
  let opened: TestStore | undefined;
  let store: Store;
  beforeAll(async () => {
    opened = await openTestStore(dialect);
    store = opened.store;
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('creates every shipped template locked and default, mapped to its feature', async () => {
    await seedDefaultTemplates(store.db, true);
    const names = defaultTemplateFiles().map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Run Command - Script Default',
        'Package Action - Script Default',
        'Service Action - Script Default',
        'Power Action - Script Default',
        'Puppet Run Once - Script Default',
        'Puppet Agent Enable - Script Default',
        'Puppet Agent Disable - Script Default',
        'Download and run a script',
        'Check Update - Script Default',
      ]),
    );
    const rows = await store.db.selectFrom('job_templates').selectAll().execute();
    expect(rows.map((r) => r.name).sort()).toEqual([...names].sort());
    for (const r of rows) expect([r.name, r.locked, r.default_template, r.provider_type]).toEqual([r.name, 1, 1, 'script']);
    const features = await store.db
      .selectFrom('remote_execution_features as f')
      .innerJoin('job_templates as t', 't.id', 'f.job_template_id')
      .select(['f.label', 't.name'])
      .orderBy('f.label')
      .execute();
    expect(features).toEqual([
      { label: 'puppet_run_host', name: 'Puppet Run Once - Script Default' },
      { label: 'run_script', name: 'Run Command - Script Default' },
    ]);
  });

  it('re-syncs an edited shipped template only while syncing is on', async () => {
    const name = 'Service Action - Script Default';
    const original = await store.db.selectFrom('job_templates').select(['id', 'template']).where('name', '=', name).executeTakeFirstOrThrow();
    // As an unlock-and-edit through the API would do (text + revision).
    await store.db.updateTable('job_templates').set({ template: 'echo edited' }).where('id', '=', original.id).execute();
    await recordRevision(store.db, { id: original.id, name, template: 'echo edited' }, 'update');
    await store.db.deleteFrom('template_inputs').where('template_id', '=', original.id).where('name', '=', 'service').execute();

    await seedDefaultTemplates(store.db, false);
    expect((await store.db.selectFrom('job_templates').select('template').where('id', '=', original.id).executeTakeFirstOrThrow()).template).toBe('echo edited');

    await seedDefaultTemplates(store.db, true);
    const after = await store.db.selectFrom('job_templates').select(['id', 'template', 'locked']).where('name', '=', name).executeTakeFirstOrThrow();
    expect(after).toEqual({ id: original.id, template: original.template, locked: 1 });
    const inputs = await store.db.selectFrom('template_inputs').select('name').where('template_id', '=', original.id).orderBy('name').execute();
    expect(inputs.map((i) => i.name)).toEqual(['action', 'service']);
    const revisions = await store.db.selectFrom('template_revisions').select('action').where('template_id', '=', original.id).orderBy('id').execute();
    expect(revisions.map((r) => r.action)).toEqual(['create', 'update', 'sync']);
  });
});
