/**
 * @module
 * The `audited_changes` of an audit row: `{field: [old, new]}` for the fields an update changed,
 * `{field: value}` of the whole record for a create or destroy. Secret fields are compared on
 * their real values (so a changed password still shows as changed) and stored as `*****`.
 */
import type { AuditSnapshot } from './audit-loaders.ts';
import { MASK } from './audit-loaders.ts';

/** A field value as stored in an audit (JSON-safe). */
type Value = unknown;

const same = (a: Value, b: Value): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const shown = (record: AuditSnapshot, field: string): Value => {
  const value = record.fields[field] ?? null;
  return record.secret.has(field) && value !== null ? MASK : value;
};

/** The fields of `record` (create, destroy), secrets masked. */
export function wholeRecord(record: AuditSnapshot): Record<string, Value> {
  return Object.fromEntries(Object.keys(record.fields).map((f) => [f, shown(record, f)]));
}

/** The fields that differ between `before` and `after` as `[old, new]`, secrets masked. */
export function changedFields(before: AuditSnapshot, after: AuditSnapshot): Record<string, [Value, Value]> {
  const changes: Record<string, [Value, Value]> = {};
  for (const field of new Set([...Object.keys(before.fields), ...Object.keys(after.fields)])) {
    if (same(before.fields[field], after.fields[field])) continue;
    changes[field] = [shown(before, field), shown(after, field)];
  }
  return changes;
}
