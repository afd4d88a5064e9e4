/**
 * @module
 * `remex global-parameter set|list|info|delete` (→ `/api/common_parameters`): parameters every
 * host inherits first (global → host group chain → host).
 */
import type { ParameterCreate, ParameterUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import type { CommandContext } from '../shared/command-context.ts';
import { upsertParameter } from '../shared/parameters.ts';
import { addDeleteCommand, addInfoCommand, addListCommand, type ApiRecord, ID_NAME_COLUMNS, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The global parameters collection. */
export const COMMON_PARAMETERS: ResourceSpec<ParameterCreate, ParameterUpdate> = {
  path: '/api/common_parameters',
  label: 'global parameter',
  key: 'common_parameter',
  api: (client) => typedApi(client).commonParameters,
};

/** Value of a parameter as text. */
function valueOf(p: ApiRecord): unknown {
  return typeof p.value === 'string' || p.value === undefined ? p.value : JSON.stringify(p.value);
}

/**
 * Builds the `global-parameter` command group.
 * @param ctx - command context
 */
export function globalParameterCommand(ctx: CommandContext): Command {
  const gp = new Command('global-parameter').description('manage global parameters');
  gp.command('set')
    .description('create or update a global parameter')
    .requiredOption('--name <name>', 'parameter name')
    .requiredOption('--value <value>', 'parameter value')
    .action(async (flags: { name: string; value: string }) => {
      const { action } = await upsertParameter(ctx.client(), COMMON_PARAMETERS.path, COMMON_PARAMETERS.key, flags.name, flags.value);
      ctx.say(`Global parameter ${flags.name} ${action}.`);
    });
  const columns = [...ID_NAME_COLUMNS, { label: 'Value', get: valueOf }] as const;
  addListCommand(gp, ctx, COMMON_PARAMETERS, columns);
  addInfoCommand(gp, ctx, COMMON_PARAMETERS, [...columns, ...TIMESTAMP_FIELDS]);
  addDeleteCommand(gp, ctx, COMMON_PARAMETERS);
  return gp;
}
