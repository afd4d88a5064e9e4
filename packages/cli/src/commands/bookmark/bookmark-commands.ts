/**
 * @module
 * `remex bookmark list|info|create|update|delete` (→ `/api/bookmarks`): saved search queries.
 * A `hosts` bookmark selects the hosts of a job (`remex job-invocation create --bookmark NAME`);
 * the seeded `job_invocations` bookmarks (failed, succeeded, running, pending, recurring, recent)
 * filter `remex job-invocation list --search`.
 */
import type { BookmarkCreate, BookmarkUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import type { CommandContext } from '../shared/command-context.ts';
import { addResourceCommands, given, ID_NAME_COLUMNS, type IdFlags, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The bookmarks collection. */
export const BOOKMARKS: ResourceSpec<BookmarkCreate, BookmarkUpdate> = { path: '/api/bookmarks', label: 'bookmark', key: 'bookmark', api: (client) => typedApi(client).bookmarks };

/** Flags of create/update. */
interface BookmarkFlags extends IdFlags {
  name?: string;
  newName?: string;
  query?: string;
  controller?: string;
  public?: boolean;
  private?: boolean;
}

/** Builds the `bookmark` payload. */
function bookmarkPayload(flags: BookmarkFlags, name: string | undefined): Partial<BookmarkCreate> {
  const body: Partial<BookmarkCreate> = {};
  if (name !== undefined) body.name = name;
  if (flags.query !== undefined) body.query = flags.query;
  if (flags.controller !== undefined) body.controller = flags.controller;
  if (flags.public) body.public = true;
  if (flags.private) body.public = false;
  return body;
}

/** Adds the attribute options shared by create and update. */
function addBookmarkAttributeOptions(cmd: Command, create = false): Command {
  (create ? cmd.requiredOption.bind(cmd) : cmd.option.bind(cmd))('--query <query>', 'the search query, e.g. "hostgroup = web and facts.os_family = Debian"');
  return cmd
    .option('--public', 'visible to every user')
    .option('--private', 'visible only to its owner (and admins)');
}

/**
 * Builds the `bookmark` command group.
 * @param ctx - command context
 */
export function bookmarkCommand(ctx: CommandContext): Command {
  const bookmark = new Command('bookmark').description('manage bookmarks (saved searches)');
  const columns = [
    ...ID_NAME_COLUMNS,
    { label: 'Controller', get: 'controller' },
    { label: 'Search query', get: 'query' },
    { label: 'Public', get: 'public' },
  ] as const;
  addResourceCommands<BookmarkFlags, BookmarkCreate, BookmarkUpdate>(bookmark, ctx, {
    spec: BOOKMARKS,
    columns,
    fields: [...columns, { label: 'Owner id', get: 'owner_id' }, ...TIMESTAMP_FIELDS],
    create: {
      description: 'save a search query',
      options: (cmd) =>
        addBookmarkAttributeOptions(
          cmd
            .requiredOption('--name <name>', 'bookmark name')
            .option('--controller <controller>', 'what the query searches: hosts, job_invocations, job_templates… (default hosts)', 'hosts'),
          true,
        ),
      payload: (flags) => ({
        ...bookmarkPayload(flags, undefined),
        name: given(flags.name, '--name'),
        controller: given(flags.controller, '--controller'),
        query: given(flags.query, '--query'),
      }),
    },
    update: {
      description: 'change a bookmark',
      options: (cmd) => addBookmarkAttributeOptions(cmd.option('--new-name <name>', 'new name').option('--controller <controller>', 'what the query searches')),
      payload: (flags) => bookmarkPayload(flags, flags.newName),
    },
  });
  return bookmark;
}
