/**
 * @module
 * `remex remote-execution-feature list|info|update` (→ `/api/remote_execution_features`):
 * which job template runs a feature (e.g. `katello_service_restart`), and
 * `available --host NAME|--host-id` (→ `GET /api/hosts/:id/available_remote_execution_features`).
 */
import { Command } from 'commander';

import type { FeatureUpdate } from '@remex/common';
import { InputError } from '@remex/common';

import { typedApi } from '../../http/typed-api.ts';

import { renderList } from '../../output/render-output.ts';
import { parseId } from '../../options/option-parsers.ts';
import type { Column, InfoField } from '../../output/table-format.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import {
  addIdentityOptions,
  addInfoCommand,
  addListCommand,
  type ApiRecord,
  asRecord,
  ID_NAME_COLUMNS,
  type IdFlags,
  type Identity,
  identityId,
  savedMessage,
} from '../shared/resource-commands.ts';
import { resolveId, type ResourceSpec } from '../shared/resource-spec.ts';
import { HOSTS } from '../host/host-commands.ts';
import { JOB_TEMPLATES } from '../job-template/job-template-commands.ts';

/** The features collection. */
export const FEATURES: ResourceSpec<never, FeatureUpdate> = {
  path: '/api/remote_execution_features',
  label: 'remote execution feature',
  key: 'remote_execution_feature',
  api: (client) => typedApi(client).features,
};


/** Features are named by `--name` or `--label`. */
const IDENTITY: Identity = { alternatives: [{ field: 'label', flag: '--label <label>', attr: 'label' }] };

const COLUMNS: readonly Column<ApiRecord>[] = [
  ...ID_NAME_COLUMNS,
  { label: 'Label', get: 'label' },
  { label: 'Job template', get: 'job_template_name' },
];

const FIELDS: readonly InfoField<ApiRecord>[] = [
  ...ID_NAME_COLUMNS,
  { label: 'Label', get: 'label' },
  { label: 'Description', get: 'description' },
  { label: 'Job template id', get: 'job_template_id' },
  { label: 'Job template', get: 'job_template_name' },
  { label: 'Host action button', get: 'host_action_button' },
  { label: 'Provided inputs', get: 'provided_input_names', list: true },
];

/**
 * Builds the `remote-execution-feature` command group.
 * @param ctx - command context
 */
export function remoteExecutionFeatureCommand(ctx: CommandContext): Command {
  const ref = new Command('remote-execution-feature').description('map remote execution features to job templates');
  addListCommand(ref, ctx, FEATURES, COLUMNS);
  addInfoCommand(ref, ctx, FEATURES, FIELDS, IDENTITY);

  addIdentityOptions(ref.command('update').description('set the job template that runs a feature'), FEATURES, IDENTITY)
    .option('--job-template-id <id>', 'job template id', (v) => parseId(v, '--job-template-id'))
    .option('--job-template <name>', 'job template name')
    .action(async (flags: IdFlags & { jobTemplateId?: number; jobTemplate?: string }) => {
      if (flags.jobTemplateId === undefined && flags.jobTemplate === undefined) throw new InputError('give --job-template-id or --job-template');
      const id = await identityId(ctx, FEATURES, flags, IDENTITY);
      const templateId = await resolveId(ctx.client(), JOB_TEMPLATES, flags.jobTemplateId, flags.jobTemplate, 'name', '--job-template-id or --job-template');
      const record = await typedApi(ctx.client()).features.update(id, { job_template_id: templateId });
      ctx.say(savedMessage(FEATURES, asRecord(record), 'updated'));
    });

  addOutputOption(
    ref
      .command('available')
      .description('features a host can run (those with a job template)')
      .option('--host <name>', 'host name')
      .option('--host-id <id>', 'host id', (v) => parseId(v, '--host-id')),
  ).action(async (flags: { host?: string; hostId?: number; output?: string }) => {
    const format = outputOf(flags);
    const hostId = await resolveId(ctx.client(), HOSTS, flags.hostId, flags.host, 'name', '--host-id or --host');
    const list = await typedApi(ctx.client()).hosts.availableFeatures(hostId);
    ctx.out(renderList(format, list.results.map(asRecord), COLUMNS));
  });
  return ref;
}
