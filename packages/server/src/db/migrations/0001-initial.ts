/**
 * @module
 * Migration 0001: the spine's schema. Never edit once landed; add a new numbered file.
 */
import type { Kysely } from 'kysely';

import type { MigrationHelpers } from './migration-helpers.ts';

/** Creates the initial tables and indexes. */
export async function up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('login', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('hostgroups')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('hostgroups.id'))
    .addColumn('title', 'varchar(1024)', (c) => c.notNull().unique())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('operatingsystems')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('major', 'varchar(32)', (c) => c.notNull())
    .addColumn('minor', 'varchar(32)', (c) => c.notNull().defaultTo(''))
    .addColumn('family', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('operatingsystems_name_version', ['name', 'major', 'minor'])
    .execute();

  await db.schema
    .createTable('subnets')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('network', 'varchar(64)', (c) => c.notNull())
    .addColumn('mask', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('smart_proxies')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('url', 'varchar(1024)', (c) => c.notNull().unique())
    .addColumn('features', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('pubkey', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subnet_proxies')
    .addColumn('subnet_id', 'integer', (c) => c.notNull().references('subnets.id').onDelete('cascade'))
    .addColumn('smart_proxy_id', 'integer', (c) => c.notNull().references('smart_proxies.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('subnet_proxies_pk', ['subnet_id', 'smart_proxy_id'])
    .execute();

  await db.schema
    .createTable('hosts')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('ip', 'varchar(64)')
    .addColumn('ip6', 'varchar(64)')
    .addColumn('hostgroup_id', 'integer', (c) => c.references('hostgroups.id'))
    .addColumn('subnet_id', 'integer', (c) => c.references('subnets.id'))
    .addColumn('operatingsystem_id', 'integer', (c) => c.references('operatingsystems.id'))
    .addColumn('domain_name', 'varchar(255)')
    .addColumn('comment', 'text')
    .addColumn('execution_status', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hosts_hostgroup_id').on('hosts').column('hostgroup_id').execute();
  await db.schema.createIndex('hosts_execution_status').on('hosts').column('execution_status').execute();

  await db.schema
    .createTable('parameters')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('scope', 'varchar(16)', (c) => c.notNull())
    .addColumn('scope_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('parameter_type', 'varchar(32)', (c) => c.notNull().defaultTo('string'))
    .addColumn('hidden_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('parameters_owner_name', ['scope', 'scope_id', 'name'])
    .execute();
  await db.schema.createIndex('parameters_name_value').on('parameters').columns(['name', 'scope', 'scope_id']).execute();

  await db.schema
    .createTable('fact_values')
    .addColumn('host_id', 'integer', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('fact_values_pk', ['host_id', 'name'])
    .execute();
  await db.schema.createIndex('fact_values_name_host').on('fact_values').columns(['name', 'host_id']).execute();

  await db.schema
    .createTable('job_templates')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('job_category', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('description_format', 'text')
    .addColumn('provider_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('snippet', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_template', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('effective_user_value', 'varchar(255)')
    .addColumn('effective_user_current_user', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('effective_user_overridable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('execution_timeout_interval', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('template_inputs')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('template_id', 'integer', (c) => c.notNull().references('job_templates.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('input_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('advanced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('options', 'text')
    .addColumn('default_value', 'text')
    .addColumn('hidden_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('value_type', 'varchar(32)', (c) => c.notNull().defaultTo('plain'))
    .addColumn('fact_name', 'varchar(255)')
    .addColumn('variable_name', 'varchar(255)')
    .addColumn('puppet_class_name', 'varchar(255)')
    .addColumn('puppet_parameter_name', 'varchar(255)')
    .addUniqueConstraint('template_inputs_template_name', ['template_id', 'name'])
    .execute();

  await db.schema
    .createTable('foreign_input_sets')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('template_id', 'integer', (c) => c.notNull().references('job_templates.id').onDelete('cascade'))
    .addColumn('target_template_id', 'integer', (c) => c.notNull().references('job_templates.id').onDelete('cascade'))
    .addColumn('include_all', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('include', 'text')
    .addColumn('exclude', 'text')
    .execute();

  await db.schema
    .createTable('job_invocations')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('job_category', 'varchar(255)', (c) => c.notNull())
    .addColumn('description_format', 'text')
    .addColumn('template_id', 'integer', (c) => c.notNull().references('job_templates.id'))
    .addColumn('targeting_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('search_query', 'text')
    .addColumn('bookmark_id', 'integer')
    .addColumn('randomized_ordering', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('inputs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('effective_user', 'varchar(255)')
    .addColumn('ssh_user', 'varchar(255)')
    .addColumn('concurrency_level', 'integer')
    .addColumn('execution_timeout_interval', 'integer')
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('result', 'varchar(16)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('total_hosts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('start_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)')
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_invocations_state').on('job_invocations').columns(['state', 'start_at']).execute();

  await db.schema
    .createTable('template_invocations')
    .addColumn('id', h.id, (c) => h.pk(c))
    .addColumn('job_invocation_id', 'integer', (c) => c.notNull().references('job_invocations.id').onDelete('cascade'))
    .addColumn('host_id', 'integer', (c) => c.notNull())
    .addColumn('template_id', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('smart_proxy_id', 'integer')
    .addColumn('state', 'varchar(16)', (c) => c.notNull().defaultTo('awaiting'))
    .addColumn('result', 'varchar(16)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('exit_status', 'varchar(16)')
    .addColumn('message', 'text')
    .addColumn('rendered_script', 'text')
    .addColumn('started_at', 'varchar(32)')
    .addColumn('ended_at', 'varchar(32)')
    .addUniqueConstraint('template_invocations_job_host', ['job_invocation_id', 'host_id'])
    .execute();
  await db.schema
    .createIndex('template_invocations_job_state')
    .on('template_invocations')
    .columns(['job_invocation_id', 'state', 'position'])
    .execute();
  await db.schema.createIndex('template_invocations_host').on('template_invocations').columns(['host_id', 'id']).execute();

  await db.schema
    .createTable('template_invocation_events')
    .addColumn('id', h.bigId, (c) => h.pk(c))
    .addColumn('job_invocation_id', 'integer', (c) => c.notNull())
    .addColumn('task_id', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('timestamp', h.float, (c) => c.notNull())
    .addUniqueConstraint('template_invocation_events_task_seq', ['task_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('template_invocation_events_job')
    .on('template_invocation_events')
    .columns(['job_invocation_id', 'id'])
    .execute();
}
