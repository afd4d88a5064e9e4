/**
 * @module
 * The option groups shared by commands: `--output` on listing and info commands, and
 * `--search`, `--order`, `--page`, `--per-page` on lists.
 */
import { type Command, Option } from 'commander';

import type { ListOptions } from '../../http/api-client.ts';
import { OUTPUT_FORMATS, type OutputFormat, parseOutputFormat } from '../../output/render-output.ts';
import { parseNonNegativeInt } from '../../options/option-parsers.ts';

/** Parsed values of the list option group. */
export interface ListFlags {
  search?: string;
  order?: string;
  page?: number;
  perPage?: number;
  output?: string;
}

/**
 * Adds `--output table|json|yaml` (default table).
 * @param cmd - the command
 */
export function addOutputOption(cmd: Command): Command {
  return cmd.addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'));
}

/**
 * Adds the list option group and `--output`.
 * @param cmd - a `list` command
 */
export function addListOptions(cmd: Command): Command {
  cmd
    .option('--search <query>', 'filter results (scoped_search syntax)')
    .option('--order <sort>', 'sort results, e.g. "name DESC"')
    .option('--page <n>', 'page to fetch (fetches every page when neither --page nor --per-page is given)', (v) =>
      parseNonNegativeInt(v, '--page'),
    )
    .option('--per-page <n>', 'results per page', (v) => parseNonNegativeInt(v, '--per-page'));
  return addOutputOption(cmd);
}

/** Converts list flags into {@link ListOptions} for the client. */
export function listOptionsOf(flags: ListFlags): ListOptions {
  return { search: flags.search, order: flags.order, page: flags.page, perPage: flags.perPage };
}

/** The validated `--output` value of a command's flags. */
export function outputOf(flags: { output?: string }): OutputFormat {
  return parseOutputFormat(flags.output);
}
