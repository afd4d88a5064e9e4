/**
 * @module
 * `remex job-invocation create … --dry-run`: shows which hosts a job would target without
 * creating it. The targeting (`search_query`, `bookmark_id` or `host_ids`) is turned into a host
 * search and asked of `GET /api/hosts?search=…&per_page=…`, which answers the count and the
 * first hosts in the order a job uses (`name, id`).
 */
import type { JobInvocationCreate } from '@remex/common';

import { typedApi } from '../../http/typed-api.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { asRecord } from '../shared/resource-commands.ts';
import { quoteSearchValue } from '../shared/resource-spec.ts';
import { cellText, formatTable } from '../../output/table-format.ts';

/** How many hosts the preview lists (the count is always exact). */
export const PREVIEW_HOSTS = 50;

/**
 * The host search a job body targets: its `search_query`, its bookmark's query, or its
 * `host_ids` as `name ^ (…)` / `id ^ (…)`.
 * @param ctx - command context (the bookmark is read from the server)
 * @param body - the `job_invocation` payload
 */
export async function targetQuery(ctx: CommandContext, body: JobInvocationCreate): Promise<string> {
  if (typeof body.search_query === 'string') return body.search_query;
  if (body.bookmark_id !== undefined && body.bookmark_id !== null) {
    const bookmark = await typedApi(ctx.client()).bookmarks.show(body.bookmark_id);
    return bookmark.query;
  }
  const refs = Array.isArray(body.host_ids) ? body.host_ids.map((h) => cellText(h)) : [];
  const ids = refs.filter((r) => /^\d+$/.test(r));
  const names = refs.filter((r) => !/^\d+$/.test(r));
  const parts = [...(names.length ? [`name ^ (${names.map(quoteSearchValue).join(', ')})`] : []), ...(ids.length ? [`id ^ (${ids.join(', ')})`] : [])];
  return parts.join(' or ');
}

/**
 * Prints how many and which hosts the job would run on.
 * @param ctx - command context
 * @param body - the `job_invocation` payload
 */
export async function previewTargets(ctx: CommandContext, body: JobInvocationCreate): Promise<void> {
  const query = await targetQuery(ctx, body);
  const list = await typedApi(ctx.client()).hosts.list({ search: query, perPage: PREVIEW_HOSTS, page: 1 });
  const count = typeof list.subtotal === 'number' ? list.subtotal : list.results.length;
  const dynamic = body.targeting_type === 'dynamic_query';
  ctx.say(`Dry run: ${count} host${count === 1 ? '' : 's'} would be targeted by '${query}'${dynamic ? ' (dynamic: resolved again when the job starts)' : ''}; nothing was created.`);
  if (list.results.length > 0) {
    ctx.out(formatTable(list.results.map(asRecord), [
      { label: 'Id', get: 'id' },
      { label: 'Name', get: 'name' },
      { label: 'Host group', get: 'hostgroup_title' },
      { label: 'Operating system', get: 'operatingsystem_name' },
    ]));
  }
  if (count > list.results.length) ctx.say(`… and ${count - list.results.length} more`);
}
