/**
 * @module
 * The changed fields of an audit in words: `{field: [old, new]}` of an update as "old → new",
 * the values of a create, destroy or cancel as they are. Secrets arrive masked (`*****`).
 */

/** One changed field. */
export interface AuditChange {
  field: string;
  text: string;
}

/** A value in one line (JSON for objects, `—` for nothing). */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

/** The fields of `changes`, sorted by name. */
export function describeChanges(action: string, changes: Record<string, unknown>): AuditChange[] {
  return Object.keys(changes)
    .sort()
    .map((field) => {
      const value = changes[field];
      if (action === 'update' && Array.isArray(value) && value.length === 2) return { field, text: `${valueText(value[0])} → ${valueText(value[1])}` };
      return { field, text: valueText(value) };
    });
}
