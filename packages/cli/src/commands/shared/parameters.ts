/**
 * @module
 * Parameters (`/api/hosts/:id/parameters`, `/api/hostgroups/:id/parameters`,
 * `/api/common_parameters`): create-or-update by name, and conversion of `--parameters k=v,…`
 * into Foreman's `*_parameters_attributes` arrays.
 */
import type { Parameter } from '@remex/common';

import type { ApiClient } from '../../http/api-client.ts';
import { parameterApi } from '../../http/typed-api.ts';
import type { ApiRecord } from './resource-commands.ts';
import { cellText } from '../../output/table-format.ts';

/** The result of {@link upsertParameter}. */
export interface UpsertResult {
  /** `created` when the parameter was new, `updated` otherwise. */
  action: 'created' | 'updated';
  record: Parameter;
}

/**
 * Sets a parameter by name: updates it when it exists, creates it otherwise (hammer
 * `set-parameter`).
 * @param client - API client
 * @param collection - the parameters collection path
 * @param key - payload key (`parameter` or `common_parameter`)
 * @param name - parameter name
 * @param value - new value
 */
export async function upsertParameter(client: ApiClient, collection: string, key: string, name: string, value: string): Promise<UpsertResult> {
  const api = parameterApi(client, collection, key);
  const existing = (await api.list()).results.find((p) => p.name === name);
  if (existing) return { action: 'updated', record: await api.update(existing.id, { value }) };
  return { action: 'created', record: await api.create({ name, value }) };
}

/**
 * Converts a `{k: v}` map into Foreman's `[{name, value}]` attributes array.
 * @param params - parsed `--parameters`
 */
export function parameterAttributes(params: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(params).map(([name, value]) => ({ name, value }));
}

/** Renders a record's `parameters` array as `name => value` lines for info output. */
export function parameterLines(record: ApiRecord): string[] {
  const params = record.parameters;
  if (!Array.isArray(params)) return [];
  return params.map((p: unknown) => {
    const r = (p ?? {}) as ApiRecord;
    return `${cellText(r.name)} => ${typeof r.value === 'string' ? r.value : JSON.stringify(r.value)}`;
  });
}
