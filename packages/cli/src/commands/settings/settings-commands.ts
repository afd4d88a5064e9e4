/**
 * @module
 * `remex settings list|info|set` (→ `/api/settings`), as hammer's `settings`: settings are named
 * by `--name` (their id is their name); secret values are shown as `*****`.
 */
import type { Setting } from '@remex/common';
import { Command } from 'commander';

import { renderRecord } from '../../output/render-output.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import { addListCommand, type ApiRecord } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The settings collection. */
export const SETTINGS: ResourceSpec = { path: '/api/settings', label: 'setting', key: 'setting' };

const FIELDS = [
  { label: 'Name', get: 'name' },
  { label: 'Full name', get: 'full_name' },
  { label: 'Value', get: (s: ApiRecord) => JSON.stringify(s.value) },
  { label: 'Default', get: (s: ApiRecord) => JSON.stringify(s.default) },
  { label: 'Type', get: 'settings_type' },
  { label: 'Category', get: 'category' },
  { label: 'Description', get: 'description' },
] as const;

/**
 * Builds the `settings` command group.
 * @param ctx - command context
 */
export function settingsCommand(ctx: CommandContext): Command {
  const settings = new Command('settings').alias('setting').description('view and change remote execution settings');
  addListCommand(settings, ctx, SETTINGS, [
    { label: 'Name', get: 'name' },
    { label: 'Value', get: (s: ApiRecord) => JSON.stringify(s.value) },
    { label: 'Description', get: 'description' },
  ]);
  addOutputOption(settings.command('info').alias('show').description('show a setting').requiredOption('--name <name>', 'setting name')).action(
    async (flags: { name: string; output?: string }) => {
      const setting = await ctx.client().get<Setting>(`${SETTINGS.path}/${encodeURIComponent(flags.name)}`);
      ctx.out(renderRecord(outputOf(flags), setting as unknown as ApiRecord, FIELDS));
    },
  );
  settings
    .command('set')
    .description('change a setting (the server checks the value against its type)')
    .requiredOption('--name <name>', 'setting name')
    .requiredOption('--value <value>', 'new value (true/false for booleans)')
    .action(async (flags: { name: string; value: string }) => {
      const setting = await ctx.client().put<Setting>(`${SETTINGS.path}/${encodeURIComponent(flags.name)}`, { setting: { value: flags.value } });
      ctx.say(`Setting ${setting.name} updated to ${JSON.stringify(setting.value)}.`);
    });
  return settings;
}
