/**
 * @module
 * The `--template-id ID | --template NAME` option pair of commands on a template's nested
 * collections (`/api/templates/:template_id/template_inputs`, `…/foreign_input_sets`).
 */
import type { Command } from 'commander';

import { parseId } from '../../options/option-parsers.ts';
import { JOB_TEMPLATES } from '../job-template/job-template-commands.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { resolveId } from '../shared/resource-spec.ts';

/** Flags naming the owning template. */
export interface TemplateScopeFlags {
  templateId?: number;
  template?: string;
}

/**
 * Adds `--template-id` and `--template`.
 * @param cmd - the command
 */
export function addTemplateScopeOptions(cmd: Command): Command {
  return cmd
    .option('--template-id <id>', 'job template id', (v) => parseId(v, '--template-id'))
    .option('--template <name>', 'job template name (instead of --template-id)');
}

/**
 * The id of the template named by the flags.
 * @param ctx - command context
 * @param flags - parsed flags
 */
export function templateIdOf(ctx: CommandContext, flags: TemplateScopeFlags): Promise<number> {
  return resolveId(ctx.client(), JOB_TEMPLATES, flags.templateId, flags.template, 'name', '--template-id or --template');
}
