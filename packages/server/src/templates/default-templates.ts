/**
 * @module
 * Job templates shipped with Remex (written for this product), seeded locked at start and
 * re-synced while `remote_execution_sync_templates` is true.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { flag, nowIso } from '../db/time.ts';
import type { InputDefinition } from './job-template-store.ts';
import { insertTemplate, syncInputs } from './job-template-store.ts';

/** A shipped template. */
export interface DefaultTemplate {
  name: string;
  job_category: string;
  description_format: string | null;
  description: string;
  template: string;
  inputs: InputDefinition[];
}

function userInput(name: string, description: string, extra: Partial<InputDefinition> = {}): InputDefinition {
  return {
    name,
    description,
    input_type: 'user',
    required: false,
    advanced: false,
    options: null,
    default_value: null,
    hidden_value: false,
    value_type: 'plain',
    fact_name: null,
    variable_name: null,
    puppet_class_name: null,
    puppet_parameter_name: null,
    ...extra,
  };
}

/** The templates Remex ships (the ERB issue adds the rest of the set). */
export const DEFAULT_TEMPLATES: DefaultTemplate[] = [
  {
    name: 'Run Command - Script Default',
    job_category: 'Commands',
    description_format: 'Run %{command}',
    description: 'Runs the given shell command (or script) on the host.',
    template: '<%= input("command") %>\n',
    inputs: [userInput('command', 'Command to run on the host', { required: true })],
  },
];

/**
 * Seeds the shipped templates: created when missing, their body and inputs re-synced when
 * `sync` is true. Shipped templates are locked.
 */
export async function seedDefaultTemplates(db: Kysely<Database>, sync: boolean): Promise<void> {
  for (const t of DEFAULT_TEMPLATES) {
    await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('job_templates').select('id').where('name', '=', t.name).executeTakeFirst();
      const fields = {
        name: t.name,
        template: t.template,
        snippet: 0,
        job_category: t.job_category,
        provider_type: 'script',
        description: t.description,
        description_format: t.description_format,
        locked: 1,
        effective_user_value: null,
        effective_user_current_user: 0,
        effective_user_overridable: 1,
        execution_timeout_interval: null,
      };
      if (!existing) {
        await insertTemplate(trx, fields, t.inputs, { default_template: true });
      } else if (sync) {
        await trx.updateTable('job_templates').set({ ...fields, default_template: flag(true), updated_at: nowIso() }).where('id', '=', existing.id).execute();
        await syncInputs(trx, existing.id, t.inputs);
      }
    });
  }
}
