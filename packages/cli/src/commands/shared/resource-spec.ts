/**
 * @module
 * Name → id resolution for `--name`, `--hostgroup TITLE`, `--job-template NAME` and friends:
 * a scoped_search query (`name = "x"`) filtered to exact matches client-side.
 */
import { InputError, NotFoundError } from '@remex/common';

import type { ApiClient, ListResponse } from '../../http/api-client.ts';
import { ResourceApi } from '../../http/typed-api.ts';
import { cellText } from '../../output/table-format.ts';

/** The calls of a collection with create body `C` and update body `U` (see `http/typed-api.ts`). */
export type ResourceCalls<C, U> = ResourceApi<object, object, C, U, unknown, object>;

/** A REST collection the CLI talks to. */
export interface ResourceSpec<C = Record<string, unknown>, U = C> {
  /** Collection path, e.g. `/api/hosts`. */
  path: string;
  /** Human name, e.g. `host`, `job template`. */
  label: string;
  /** Payload wrapper key, e.g. `host`. */
  key: string;
  /**
   * The typed calls of a schema-first resource (`typedApi(client).hosts`…): bodies are the
   * `@remex/common` schema types. Without it, calls on {@link path} with untyped records.
   */
  api?: (client: ApiClient) => ResourceCalls<C, U>;
}

/**
 * The calls of `spec`: its typed API, else untyped calls on its path.
 * @param client - API client
 * @param spec - the collection
 */
export function callsOf<C, U>(client: ApiClient, spec: ResourceSpec<C, U>): ResourceCalls<C, U> {
  return spec.api?.(client) ?? new ResourceApi<object, object, C, U, unknown, object>(client, spec.path, spec.key);
}

/**
 * Writes a value for a scoped_search query: bare when it is a simple word (`web01.example.com`,
 * `base/web`), double-quoted otherwise.
 * @param value - raw value
 */
export function quoteSearchValue(value: string): string {
  if (/^[\w.@:/+-]+$/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Record with an id. */
type WithId = Record<string, unknown> & { id?: unknown };

/**
 * Finds the one record whose `field` equals `value` exactly.
 * @param client - API client
 * @param spec - the collection
 * @param field - field to match (`name`, `title`)
 * @param value - wanted value
 */
export async function findOneBy<C, U>(client: ApiClient, spec: ResourceSpec<C, U>, field: string, value: string): Promise<WithId> {
  const exact = (rows: WithId[]): WithId[] => rows.filter((r) => r[field] !== undefined && cellText(r[field]) === value);
  let list: ListResponse<WithId> | undefined;
  try {
    list = await client.list<WithId>(spec.path, { search: `${field} = ${quoteSearchValue(value)}` });
  } catch (e: unknown) {
    // A server without this search field rejects the query: fall back to a full scan.
    if (!(e instanceof InputError)) throw e;
  }
  let matches = list ? exact(list.results) : [];
  if (matches.length === 0 && (!list || !list.search)) {
    matches = exact((await client.list<WithId>(spec.path)).results);
  }
  if (matches.length === 0) throw new NotFoundError(`${spec.label} "${value}" not found`);
  if (matches.length > 1) throw new InputError(`${spec.label} ${field} "${value}" is ambiguous (${matches.length} matches); use --id`);
  return matches[0]!;
}

/**
 * Resolves a record id from `--id` or a name-like option.
 * @param client - API client
 * @param spec - the collection
 * @param id - `--id` value, if given
 * @param name - the name-like value, if given
 * @param field - the field `name` refers to (default `name`)
 * @param optionNames - option names for the "give one of" message
 */
export async function resolveId<C, U>(
  client: ApiClient,
  spec: ResourceSpec<C, U>,
  id: number | undefined,
  name: string | undefined,
  field = 'name',
  optionNames = '--id or --name',
): Promise<number> {
  if (id !== undefined) return id;
  if (name === undefined) throw new InputError(`give ${optionNames}`);
  const record = await findOneBy(client, spec, field, name);
  const found = Number(record.id);
  if (!Number.isFinite(found)) throw new InputError(`${spec.label} "${name}" has no id in the answer`);
  return found;
}

/**
 * The path segment naming one record where the server resolves names itself: the id, else the
 * URL-encoded name.
 * @param id - `--id` value, if given
 * @param name - the name-like value, if given
 * @param optionNames - option names for the "give one of" message
 */
export function recordRef(id: number | undefined, name: string | undefined, optionNames: string): string {
  if (id !== undefined) return String(id);
  if (name !== undefined) return encodeURIComponent(name);
  throw new InputError(`give ${optionNames}`);
}
