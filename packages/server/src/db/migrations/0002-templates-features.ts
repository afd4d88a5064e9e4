/**
 * @module
 * Migration 0002: the job-template model (issue 4). Template revisions (an audit of every
 * template text change), remote execution features, the generic render of a job, the feature
 * a job was triggered by, `cloned_from_id` of templates and a description on foreign input
 * sets. Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Adds the template-model tables and columns. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema.alterTable('job_templates').addColumn('cloned_from_id', 'integer').execute();
  await db.schema.alterTable('foreign_input_sets').addColumn('description', 'text').execute();
  await db.schema.alterTable('job_invocations').addColumn('preview_script', 'text').execute();
  await db.schema.alterTable('job_invocations').addColumn('remote_execution_feature_id', 'integer').execute();

  // No foreign key to job_templates: revisions outlive the template they describe (an audit).
  await db.schema
    .createTable('template_revisions')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('template_id', 'integer', (c) => c.notNull())
    .addColumn('template_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_login', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('template_revisions_template').on('template_revisions').columns(['template_id', 'id']).execute();

  await db.schema
    .createTable('remote_execution_features')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('label', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('job_template_id', 'integer', (c) => c.references('job_templates.id').onDelete('set null'))
    .addColumn('host_action_button', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provided_inputs', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}
