/**
 * @module
 * Recurring logic search fields (`purpose = backups and state = active`), compiled over
 * `recurring_logics` (unaliased).
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

/** The recurring logic search definition. */
export const recurringLogicSearch = defineSearch<Database, 'recurring_logics'>({
  fields: {
    purpose: { type: 'string', column: 'recurring_logics.purpose', description: 'Purpose (unique among active logics)' },
    cron_line: { type: 'string', column: 'recurring_logics.cron_line', description: 'Cron line' },
    state: { type: 'string', column: 'recurring_logics.state', description: 'active, disabled, cancelled or finished' },
    id: { type: 'integer', column: 'recurring_logics.id', onlyExplicit: true },
    iteration: { type: 'integer', column: 'recurring_logics.iteration', onlyExplicit: true, description: 'Occurrences made so far' },
    next_occurrence: { type: 'datetime', column: 'recurring_logics.next_run_at', onlyExplicit: true },
    end_time: { type: 'datetime', column: 'recurring_logics.end_time', onlyExplicit: true },
  },
});

/** Compiles a recurring logic search (errors → 422 with a position). */
export function compileRecurringLogicSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'recurring_logics'>) => Expression<SqlBool> {
  return compileResourceSearch(recurringLogicSearch, query, dialect, user);
}
