/**
 * @module
 * Values `auto_complete_search` offers for audits: the audited types and the actions from the
 * route table (no scan of the append-only table), users from the users table.
 */
import type { ResourceLookup } from '../search/auto-complete-lookups.ts';
import { AUDITED_ROUTES } from './audit-table.ts';

const TYPES = [...new Set(Object.values(AUDITED_ROUTES).map((r) => r.type))].sort();
const ACTIONS = ['cancel', 'create', 'destroy', 'update'];

const starting = (values: readonly string[], prefix: string, limit: number): string[] => values.filter((v) => v.startsWith(prefix.toLowerCase())).slice(0, limit);

/** Value lookups of `/api/audits/auto_complete_search`. */
export const AUDIT_LOOKUP: ResourceLookup = {
  values: async (db, r) => {
    if (r.field === 'type' || r.field === 'auditable_type') return starting(TYPES, r.prefix, r.limit);
    if (r.field === 'action') return starting(ACTIONS, r.prefix, r.limit);
    if (r.field !== 'user') return [];
    const rows = await db.selectFrom('users').select('login').where('login', 'like', `${r.prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`).orderBy('login').limit(r.limit).execute();
    return rows.map((u) => u.login);
  },
};
