/**
 * @module
 * `remex audit list|info` (hammer's `audit`; → `/api/audits`, read only): who changed which
 * record when, with the changed fields (secrets shown as `*****`, as the server stores them).
 * `remex audit list --search 'type = job_template and user = bob'`.
 */
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import type { CommandContext } from '../shared/command-context.ts';
import { addInfoCommand, addListCommand, type ApiRecord } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { cellText } from '../../output/table-format.ts';

/** The audits collection. */
export const AUDITS: ResourceSpec<never, never> = { path: '/api/audits', label: 'audit', key: 'audit', api: (client) => typedApi(client).audits };

/** The audited changes as `field: old → new` (update) or `field: value` lines. */
function changesOf(record: ApiRecord): string[] {
  const changes = record.audited_changes;
  if (typeof changes !== 'object' || changes === null) return [];
  return Object.entries(changes as Record<string, unknown>).map(([field, value]) => {
    const text = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : cellText(v));
    return Array.isArray(value) && value.length === 2 && record.action !== 'create' && record.action !== 'destroy' ? `${field}: ${text(value[0])} → ${text(value[1])}` : `${field}: ${text(value)}`;
  });
}

const COLUMNS = [
  { label: 'Id', get: 'id' },
  { label: 'At', get: 'created_at' },
  { label: 'IP', get: 'remote_address' },
  { label: 'User', get: 'user_name' },
  { label: 'Action', get: 'action' },
  { label: 'Audit type', get: 'auditable_type' },
  { label: 'Audit record', get: 'auditable_name' },
] as const;

/**
 * Builds the `audit` command group.
 * @param ctx - command context
 */
export function auditCommand(ctx: CommandContext): Command {
  const audit = new Command('audit').description('view the audit log (who changed what, when)');
  addListCommand(audit, ctx, AUDITS, COLUMNS);
  addInfoCommand(audit, ctx, AUDITS, [
    ...COLUMNS,
    { label: 'Record id', get: 'auditable_id' },
    { label: 'Version', get: 'version' },
    { label: 'Request id', get: 'request_uuid' },
    { label: 'Audited changes', get: changesOf, list: true },
  ]);
  return audit;
}
