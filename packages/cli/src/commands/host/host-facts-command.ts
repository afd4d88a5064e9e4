/**
 * @module
 * `remex host facts upload --name HOST --file FILE` (JSON or YAML: `facter -j`, `ansible -m
 * setup` output's facts, or any nested map; nested keys become `a::b` on the server) and
 * `remex host facts list --name HOST [--search …]`, so templates that branch on facts (the OS
 * family of Package Action…) work for hosts fed from the command line.
 */
import path from 'node:path';

import { InputError } from '@remex/common';
import type { Command } from 'commander';
import { load as loadYaml } from 'js-yaml';

import { typedApi } from '../../http/typed-api.ts';
import { parseId } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { resolveId } from '../shared/resource-spec.ts';
import { readImportFile } from './host-import-command.ts';
import { HOSTS } from './host-commands.ts';

/** The facts map of a file's text (JSON or YAML; Ansible's `{ansible_facts: {...}}` unwrapped). */
export function parseFactsFile(text: string, file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (e: unknown) {
    throw new InputError(`${file} is neither JSON nor YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { cause: e });
  }
  const inner = typeof doc === 'object' && doc !== null && 'ansible_facts' in doc ? (doc).ansible_facts : doc;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new InputError(`${file} must hold a map of fact names to values`);
  return inner as Record<string, unknown>;
}

/**
 * Adds `host facts upload|list`.
 * @param host - the `host` command
 * @param ctx - command context
 */
export function addFactsCommand(host: Command, ctx: CommandContext): void {
  const facts = host.command('facts').description("upload or list a host's facts");
  facts
    .command('upload')
    .description('upload facts of a host from a JSON or YAML file (the host is created when unknown)')
    .requiredOption('--name <name>', 'host name')
    .requiredOption('--file <file>', 'JSON or YAML file (facter -j, ansible setup output, …)')
    .action(async (flags: { name: string; file: string }) => {
      const map = parseFactsFile(await readImportFile(path.resolve(ctx.io.cwd, flags.file)), flags.file);
      await typedApi(ctx.client()).hosts.uploadFacts({ name: flags.name, facts: map });
      ctx.say(`Facts of ${flags.name} uploaded (${Object.keys(map).length} top-level facts).`);
    });
  facts
    .command('list')
    .description("list a host's facts")
    .option('--name <name>', 'host name')
    .option('--id <id>', 'host id', (v) => parseId(v, '--id'))
    .option('--search <query>', 'fact search (name ~ os*)')
    .action(async (flags: { name?: string; id?: number; search?: string }) => {
      const id = await resolveId(ctx.client(), HOSTS, flags.id, flags.name, 'name', '--id or --name');
      const answer = await typedApi(ctx.client()).hosts.facts(id, { per_page: 1000, ...(flags.search === undefined ? {} : { search: flags.search }) });
      const results = answer.results as Record<string, Record<string, unknown>>;
      const values = Object.values(results)[0] ?? {};
      const width = Math.max(0, ...Object.keys(values).map((k) => k.length));
      ctx.out(Object.entries(values).map(([k, v]) => `${k.padEnd(width)}  ${String(v)}\n`).join(''));
    });
}
