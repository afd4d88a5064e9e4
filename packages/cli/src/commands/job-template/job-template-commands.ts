/**
 * @module
 * `remex job-template list|info|create|update|delete|dump` (→ `/api/job_templates`); `import`,
 * `export`, `preview` and `clone` live in `job-template-transfer-commands.ts`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { JobTemplateCreate, JobTemplateUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import { InputError, NotFoundError } from '@remex/common';

import { booleanParser, parseNonNegativeInt } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addIdentityOptions, addResourceCommands, type ApiRecord, ID_NAME_COLUMNS, type IdFlags, identityId, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { addJobTemplateTransferCommands } from './job-template-transfer-commands.ts';
import { cellText, type Column, type InfoField } from '../../output/table-format.ts';

/** The job templates collection. */
export const JOB_TEMPLATES: ResourceSpec<JobTemplateCreate, JobTemplateUpdate> = { path: '/api/job_templates', label: 'job template', key: 'job_template', api: (client) => typedApi(client).jobTemplates };

/** Flags of create/update. */
interface TemplateFlags extends IdFlags {
  file?: string;
  name?: string;
  newName?: string;
  jobCategory?: string;
  providerType?: string;
  description?: string;
  descriptionFormat?: string;
  locked?: boolean;
  snippet?: boolean;
  executionTimeoutInterval?: number;
  effectiveUser?: string;
  overridable?: boolean;
  currentUser?: boolean;
}

/** Reads a template file relative to the working directory. */
async function readTemplateFile(cwd: string, file: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e: unknown) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new NotFoundError(`file not found: ${file}`, { cause: e });
    throw new InputError(`cannot read ${file}: ${code ?? String(e)}`, { cause: e });
  }
}

/** Template input names for info output. */
function inputsOf(t: ApiRecord): string[] {
  const inputs = t.template_inputs;
  if (!Array.isArray(inputs)) return [];
  return inputs.map((i: unknown) => {
    const r = (i ?? {}) as ApiRecord;
    const req = r.required === true ? ', required' : '';
    return `${cellText(r.name)} (${cellText(r.input_type ?? 'user')}${req})`;
  });
}

/** Effective user settings as one line. */
function effectiveUserOf(t: ApiRecord): unknown {
  const eu = t.effective_user as ApiRecord | undefined;
  if (!eu || typeof eu !== 'object') return eu;
  if (eu.current_user === true) return 'current user';
  return eu.value;
}

/** Adds the template attribute options. */
function addTemplateAttributeOptions(cmd: Command): Command {
  return cmd
    .option('--job-category <category>', 'job category, e.g. Commands')
    .option('--provider-type <type>', 'provider: script (SSH accepted)')
    .option('--description <text>', 'description')
    .option('--description-format <format>', 'job description format, e.g. "%{template_name} %{command}"')
    .option('--locked [bool]', 'lock the template against edits', booleanParser('--locked'))
    .option('--snippet [bool]', 'mark as a snippet', booleanParser('--snippet'))
    .option('--execution-timeout-interval <seconds>', 'default execution timeout', (v) => parseNonNegativeInt(v, '--execution-timeout-interval'))
    .option('--effective-user <user>', 'effective user (hammer --value)')
    .option('--overridable [bool]', 'whether a job may override the effective user', booleanParser('--overridable'))
    .option('--current-user [bool]', 'run as the user who starts the job', booleanParser('--current-user'));
}

/** Builds the `job_template` payload from flags. */
async function templatePayload(ctx: CommandContext, flags: TemplateFlags, name: string | undefined): Promise<ApiRecord> {
  const body: ApiRecord = {};
  if (name !== undefined) body.name = name;
  if (flags.file !== undefined) body.template = await readTemplateFile(ctx.io.cwd, flags.file);
  if (flags.jobCategory !== undefined) body.job_category = flags.jobCategory;
  if (flags.providerType !== undefined) body.provider_type = flags.providerType;
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.descriptionFormat !== undefined) body.description_format = flags.descriptionFormat;
  if (flags.locked !== undefined) body.locked = flags.locked;
  if (flags.snippet !== undefined) body.snippet = flags.snippet;
  if (flags.executionTimeoutInterval !== undefined) body.execution_timeout_interval = flags.executionTimeoutInterval;
  if (flags.effectiveUser !== undefined || flags.overridable !== undefined || flags.currentUser !== undefined) {
    const eu: ApiRecord = {};
    if (flags.effectiveUser !== undefined) eu.value = flags.effectiveUser;
    if (flags.overridable !== undefined) eu.overridable = flags.overridable;
    if (flags.currentUser !== undefined) eu.current_user = flags.currentUser;
    body.effective_user_attributes = eu;
  }
  return body;
}

/**
 * Builds the `job-template` command group.
 * @param ctx - command context
 */
export function jobTemplateCommand(ctx: CommandContext): Command {
  const jt = new Command('job-template').description('manage job templates');
  const columns: readonly Column<ApiRecord>[] = [
    ...ID_NAME_COLUMNS,
    { label: 'Job category', get: 'job_category' },
    { label: 'Provider', get: 'provider_type' },
    { label: 'Type', get: (t) => (t.snippet === true ? 'snippet' : 'job_template') },
  ];
  const fields: readonly InfoField<ApiRecord>[] = [
    ...columns,
    { label: 'Description', get: 'description' },
    { label: 'Description format', get: 'description_format' },
    { label: 'Effective user', get: effectiveUserOf },
    { label: 'Execution timeout', get: 'execution_timeout_interval' },
    { label: 'Locked', get: 'locked' },
    { label: 'Cloned from id', get: 'cloned_from_id' },
    { label: 'Inputs', get: inputsOf, list: true },
    ...TIMESTAMP_FIELDS,
  ];

  addResourceCommands<TemplateFlags>(jt, ctx, {
    spec: JOB_TEMPLATES,
    columns,
    fields,
    create: {
      description: 'create a job template from an ERB file',
      options: (cmd) => addTemplateAttributeOptions(cmd.requiredOption('--file <path>', 'template body (ERB)').requiredOption('--name <name>', 'template name')),
      validate: (flags) => {
        if (flags.jobCategory === undefined) throw new InputError("required option '--job-category <category>' not specified");
        if (flags.providerType === undefined) throw new InputError("required option '--provider-type <type>' not specified");
      },
      payload: (flags) => templatePayload(ctx, flags, flags.name),
    },
    update: {
      description: 'update a job template',
      options: (cmd) => addTemplateAttributeOptions(cmd.option('--new-name <name>', 'new name').option('--file <path>', 'new template body (ERB)')),
      payload: (flags) => templatePayload(ctx, flags, flags.newName),
    },
  });

  addIdentityOptions(jt.command('dump').description('print the template body'), JOB_TEMPLATES).action(async (flags: IdFlags) => {
    const id = await identityId(ctx, JOB_TEMPLATES, flags);
    const text = (await typedApi(ctx.client()).jobTemplates.show(id)).template;
    ctx.out(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  });

  addJobTemplateTransferCommands(jt, ctx, JOB_TEMPLATES);
  return jt;
}
