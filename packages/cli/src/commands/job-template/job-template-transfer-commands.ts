/**
 * @module
 * `remex job-template import|export|preview|clone` (→ `POST /api/job_templates/import`,
 * `GET …/:id/export`, `POST …/:id/preview`, `POST …/:id/clone`): templates as ERB files with
 * their `<%# … %>` metadata header, and rendering a template for one host without running it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { type Command, Option } from 'commander';

import { coerceError, InputError, NotFoundError } from '@remex/common';

import { booleanParser, parseId, parseKeyValueList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { typedApi } from '../../http/typed-api.ts';
import { addIdentityOptions, type ApiRecord, asRecord, type IdFlags, identityId, savedMessage } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** Reads a file relative to the working directory (missing → NotFoundError, exit 3). */
async function readInputFile(cwd: string, file: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e: unknown) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new NotFoundError(`file not found: ${file}`, { cause: e });
    throw new InputError(`cannot read ${file}: ${code ?? coerceError(e).message}`, { cause: e });
  }
}

/**
 * The export file name Foreman uses (reference §1b): the name lower-cased, `-` removed, runs of
 * whitespace → `_`, plus `.erb` ("Package Action - SSH Default" → `package_action_ssh_default.erb`).
 * @param name - template name
 */
export function exportFileName(name: string): string {
  const base = name.toLowerCase().replace(/-/g, '').trim().replace(/\s+/g, '_').replace(/[/\\]/g, '_');
  return `${base === '' ? 'template' : base}.erb`;
}

/** The file name of a `content-disposition: attachment; filename="…"` header, if any. */
function dispositionFileName(header: string | null): string | undefined {
  const m = header ? /filename="([^"]+)"/.exec(header) : null;
  const name = m?.[1];
  return name && !name.includes('/') && !name.includes('\\') && name !== '..' ? name : undefined;
}

/** Flags of `import`. */
interface ImportFlags {
  file: string;
  overwrite?: boolean;
  force?: boolean;
  lock?: boolean;
  default?: boolean;
  associate?: string;
}

/** Flags of `preview`. */
interface PreviewFlags extends IdFlags {
  host?: string;
  hostId?: number;
  inputs?: Record<string, string>;
}

/** Merges repeated `--inputs` values (later keys win). */
function collectInputs(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  return { ...previous, ...parseKeyValueList(value, '--inputs') };
}

/**
 * Adds `import`, `export`, `preview` and `clone` to the `job-template` group.
 * @param jt - the `job-template` command
 * @param ctx - command context
 * @param spec - the job templates collection
 */
export function addJobTemplateTransferCommands(jt: Command, ctx: CommandContext, spec: ResourceSpec): void {

  jt.command('import')
    .description('import a template file with its metadata header (name, inputs, feature…)')
    .requiredOption('--file <path>', 'template file (ERB with a <%# … %> YAML header)')
    .option('--overwrite [bool]', 'update the template of the same name instead of failing', booleanParser('--overwrite'))
    .option('--force [bool]', 'overwrite a locked template too', booleanParser('--force'))
    .option('--lock [bool]', 'lock the imported template', booleanParser('--lock'))
    .option('--default [bool]', 'mark the template as shipped (default)', booleanParser('--default'))
    .addOption(new Option('--associate <mode>', 'taxonomy association').choices(['new', 'always', 'never']))
    .action(async (flags: ImportFlags) => {
      const template = await readInputFile(ctx.io.cwd, flags.file);
      const options: ApiRecord = {};
      if (flags.lock !== undefined) options.lock = flags.lock;
      if (flags.default !== undefined) options.default = flags.default;
      if (flags.force !== undefined) options.force = flags.force;
      if (flags.associate !== undefined) options.associate = flags.associate;
      const res = await ctx.client().fetchOk('POST', `${spec.path}/import`, { body: { template, overwrite: flags.overwrite ?? false, options } });
      const record = (await res.json()) as ApiRecord;
      ctx.say(savedMessage(spec, record, res.status === 201 ? 'imported' : 'updated from import'));
    });

  addIdentityOptions(jt.command('export').description('write the template with its metadata header to a file'), spec)
    .option('--file <path>', 'output file ("-" for stdout; default: the name Foreman uses, e.g. service_action_script_default.erb)')
    .action(async (flags: IdFlags & { file?: string }) => {
      const id = await identityId(ctx, spec, flags);
      const res = await ctx.client().fetchOk('GET', `${spec.path}/${id}/export`, { headers: { accept: 'text/plain, */*' } });
      const text = await res.text();
      if (flags.file === '-') {
        ctx.out(text.endsWith('\n') ? text : `${text}\n`);
        return;
      }
      let file = flags.file;
      if (file === undefined) {
        file = dispositionFileName(res.headers.get('content-disposition'));
        if (file === undefined) {
          file = exportFileName((await typedApi(ctx.client()).jobTemplates.show(id)).name);
        }
      }
      const target = path.resolve(ctx.io.cwd, file);
      try {
        await writeFile(target, text);
      } catch (e: unknown) {
        const code = (e as { code?: string }).code;
        if (code === 'ENOENT') throw new NotFoundError(`cannot write ${file}: directory not found`, { cause: e });
        throw new InputError(`cannot write ${file}: ${code ?? coerceError(e).message}`, { cause: e });
      }
      ctx.say(`Job template ${id} exported to ${file}.`);
    });

  addIdentityOptions(jt.command('preview').description('render the template for a host without running it'), spec)
    .option('--host <name>', 'host name (facts, parameters and OS of this host)')
    .option('--host-id <id>', 'host id', (v) => parseId(v, '--host-id'))
    .option('--inputs <k=v,…>', 'input values, k=v,… or JSON (repeatable)', collectInputs)
    .action(async (flags: PreviewFlags) => {
      if (flags.host !== undefined && flags.hostId !== undefined) throw new InputError('give only one of --host and --host-id');
      const id = await identityId(ctx, spec, flags);
      const body: ApiRecord = { inputs: flags.inputs ?? {} };
      if (flags.hostId !== undefined) body.host_id = flags.hostId;
      else if (flags.host !== undefined) body.host_id = flags.host;
      const res = await ctx.client().fetchOk('POST', `${spec.path}/${id}/preview`, { body, headers: { accept: 'text/plain, */*' } });
      const text = await res.text();
      ctx.out(text.endsWith('\n') || text === '' ? text : `${text}\n`);
    });

  addIdentityOptions(jt.command('clone').description('copy a template (inputs and foreign input sets included) under a new name'), spec)
    .requiredOption('--new-name <name>', 'name of the copy')
    .action(async (flags: IdFlags & { newName: string }) => {
      const id = await identityId(ctx, spec, flags);
      const record = await typedApi(ctx.client()).jobTemplates.clone(id, { name: flags.newName });
      ctx.say(savedMessage(spec, asRecord(record), 'cloned'));
    });
}
