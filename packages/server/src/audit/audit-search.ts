/**
 * @module
 * Audit search fields (Foreman's `Audit` scoped_search: `type = job_template and user = bob`),
 * compiled over `audits` (unaliased).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

/** The audit search definition. */
export const auditSearch = defineSearch<Database, 'audits'>({
  fields: {
    type: { type: 'string', column: 'audits.auditable_type', aliases: ['auditable_type'], description: 'Type of the audited record (host, job_template, …)' },
    user: { type: 'string', column: 'audits.user_login', description: 'Login of the user who made the change' },
    action: { type: 'string', column: 'audits.action', description: 'create, update, destroy or cancel' },
    name: { type: 'string', column: 'audits.auditable_name', description: 'Name of the audited record' },
    id: { type: 'integer', column: 'audits.id', onlyExplicit: true },
    auditable_id: { type: 'string', column: 'audits.auditable_id', onlyExplicit: true, description: 'Id of the audited record' },
    request_uuid: { type: 'string', column: 'audits.request_uuid', onlyExplicit: true, description: 'Id of the request (X-Request-Id)' },
    time: { type: 'datetime', column: 'audits.created_at', aliases: ['created_at'], onlyExplicit: true },
  },
});

/** Compiles an audit search (errors → 422 with a position). */
export function compileAuditSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'audits'>) => Expression<SqlBool> {
  return compileResourceSearch(auditSearch, query, dialect, user);
}
