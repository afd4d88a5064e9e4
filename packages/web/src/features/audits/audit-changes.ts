/**
 * @module
 * The changed fields of an audit, before and after: `{field: [old, new]}` of an update, the
 * values a create set (after) or a destroy removed (before), what a cancel recorded (after).
 * Secrets arrive masked (`*****`).
 */

/** One changed field; `null` where the action has no value on that side. */
export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** A value in one line, cut at 200 characters (JSON for objects, `—` for nothing). */
export function valueText(value: unknown): string {
  const text = fullText(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A value as text in full (JSON for objects, `—` for nothing). */
export function fullText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Whether `value` stands for nothing (null, undefined, empty text). */
function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/**
 * The fields of `changes`, sorted by name, each with its value before and after `action`; the
 * empty fields of a create, destroy or cancel (a new record's unset columns) are left out.
 */
export function auditChanges(action: string, changes: Record<string, unknown>): AuditChange[] {
  return Object.keys(changes)
    .sort()
    .flatMap((field): AuditChange[] => {
      const value = changes[field];
      if (action === 'update' && Array.isArray(value) && value.length === 2) return [{ field, before: value[0] as unknown, after: value[1] as unknown }];
      if (isEmpty(value)) return [];
      if (action === 'destroy') return [{ field, before: value, after: null }];
      return [{ field, before: null, after: value }];
    });
}

/** Whether a change is best shown as a line diff (text on both sides, over several lines). */
export function isMultiline(change: AuditChange): change is AuditChange & { before: string; after: string } {
  return typeof change.before === 'string' && typeof change.after === 'string' && (change.before.includes('\n') || change.after.includes('\n'));
}

/** The changed fields of `changes` in one line, e.g. `name, template` (at most `max` names, then `+N`). */
export function changedFieldsSummary(action: string, changes: Record<string, unknown>, max = 4): string {
  const fields = auditChanges(action, changes).map((c) => c.field);
  if (fields.length === 0) return '—';
  return fields.length > max ? `${fields.slice(0, max).join(', ')} +${fields.length - max}` : fields.join(', ');
}
