/**
 * @module
 * Search fields of a job template's revisions (`GET /api/job_templates/:id/revisions`),
 * compiled over `template_revisions` (unaliased): version (the revision id, as
 * `/api/job_templates/revision?version=` takes it), action, user, template_name, created_at,
 * template (the text, named only).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

/** The template revision search definition. */
export const templateRevisionSearch = defineSearch<Database, 'template_revisions'>({
  fields: {
    version: { type: 'integer', column: 'template_revisions.id', aliases: ['id'], onlyExplicit: true, description: 'Revision number' },
    action: { type: 'string', column: 'template_revisions.action', description: 'create, update, import, sync or clone' },
    user: { type: 'string', column: 'template_revisions.user_login', description: 'Login of the user who made the change' },
    template_name: { type: 'string', column: 'template_revisions.template_name', description: 'Template name at that revision' },
    template: { type: 'string', column: 'template_revisions.template', onlyExplicit: true, description: 'Template text (ERB)' },
    created_at: { type: 'datetime', column: 'template_revisions.created_at', onlyExplicit: true },
  },
});

/** Sortable fields of the revision list, with their columns. */
export const REVISION_ORDER = { version: 'id', id: 'id', created_at: 'created_at' } as const;

/** Compiles a template revision search (errors → 422 with a position). */
export function compileTemplateRevisionSearch(
  query: string,
  dialect: SearchDialect,
  user: SearchUser | null,
): (eb: ExpressionBuilder<Database, 'template_revisions'>) => Expression<SqlBool> {
  return compileResourceSearch(templateRevisionSearch, query, dialect, user);
}
