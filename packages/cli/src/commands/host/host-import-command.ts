/**
 * @module
 * `remex host import FILE [--format csv|yaml]`: parses the file client-side and sends it to
 * `POST /api/hosts/import` in chunks of {@link IMPORT_CHUNK_SIZE} hosts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';

import type { HostImportResult } from '@remex/common';
import { InputError, NotFoundError } from '@remex/common';

import type { ApiClient } from '../../http/api-client.ts';
import { HostApi } from '../../http/typed-api.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { type ImportHost, parseHostImport } from './host-import-parser.ts';

/** Hosts per `POST /api/hosts/import` request. */
export const IMPORT_CHUNK_SIZE = 2000;

/** At most this many per-host errors are printed. */
const MAX_ERRORS_SHOWN = 20;

/** Answer of `POST /api/hosts/import` (summed over the chunks). */
export type ImportResult = HostImportResult;

/**
 * Sends hosts to the server in chunks and sums the answers.
 * @param client - API client
 * @param hosts - parsed hosts
 * @param chunkSize - hosts per request
 */
export async function importHosts(client: ApiClient, hosts: readonly ImportHost[], chunkSize = IMPORT_CHUNK_SIZE): Promise<ImportResult> {
  const api = new HostApi(client);
  const total: ImportResult = { created: 0, updated: 0, errors: [] };
  for (let i = 0; i < hosts.length; i += chunkSize) {
    const end = Math.min(i + chunkSize, hosts.length);
    let answer: ImportResult;
    try {
      answer = await api.import({ hosts: hosts.slice(i, end) });
    } catch (e: unknown) {
      // Each request is all-or-nothing on the server; say which hosts were already imported.
      if (i > 0 && e instanceof Error) e.message = `hosts ${i + 1}–${end}: ${e.message} (hosts 1–${i} were imported)`;
      throw e;
    }
    total.created += answer.created;
    total.updated += answer.updated;
    total.errors.push(...answer.errors);
  }
  return total;
}

/** Reads a file the user named, mapping a missing file to NotFoundError. */
export async function readImportFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e: unknown) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new NotFoundError(`file not found: ${file}`, { cause: e });
    throw new InputError(`cannot read ${file}: ${code ?? String(e)}`, { cause: e });
  }
}

/**
 * Adds `host import`.
 * @param host - the `host` command
 * @param ctx - command context
 */
export function addHostImportCommand(host: Command, ctx: CommandContext): Command {
  return host
    .command('import')
    .description('import hosts from a CSV (name,ip,hostgroup,parameters) or YAML file')
    .argument('<file>', 'CSV or YAML file')
    .option('--format <format>', 'csv or yaml (default: from the file extension)')
    .action(async (file: string, flags: { format?: string }) => {
      const full = path.resolve(ctx.io.cwd, file);
      const hosts = parseHostImport(file, await readImportFile(full), flags.format);
      if (hosts.length === 0) throw new InputError(`${file}: no hosts to import`);
      const result = await importHosts(ctx.client(), hosts);
      ctx.say(`Imported ${hosts.length} hosts: ${result.created} created, ${result.updated} updated, ${result.errors.length} failed.`);
      for (const err of result.errors.slice(0, MAX_ERRORS_SHOWN)) ctx.warn(`  ${err.name}: ${err.message}`);
      if (result.errors.length > MAX_ERRORS_SHOWN) ctx.warn(`  … and ${result.errors.length - MAX_ERRORS_SHOWN} more`);
      if (result.errors.length > 0) throw new InputError(`${result.errors.length} of ${hosts.length} hosts could not be imported`);
    });
}
