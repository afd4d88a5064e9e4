/**
 * @module
 * hammer-like text rendering: bordered tables with upper-case headers for lists, aligned
 * `Label: value` blocks for single records.
 */

/** How to read one cell from a row. */
export type CellGetter<T> = keyof T & string | ((row: T) => unknown);

/** One column of a table (or one field of an info block). */
export interface Column<T = Record<string, unknown>> {
  /** Human label; upper-cased for table headers. */
  label: string;
  /** Property name or function giving the value. */
  get: CellGetter<T>;
}

/**
 * Renders any value as cell text: `''` for null/undefined, `yes`/`no` for booleans,
 * comma-joined arrays of scalars, JSON for objects.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map(cellText).join(', ');
  return JSON.stringify(value);
}

/** Reads a column's raw value from a row. */
export function cellValue<T>(row: T, get: CellGetter<T>): unknown {
  return typeof get === 'function' ? get(row) : (row as Record<string, unknown>)[get];
}

/** Replaces newlines and tabs so one record stays on one table line. */
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n').replace(/\t/g, ' ');
}

/**
 * Formats rows as a hammer-style table:
 * ```
 * ---|------
 * ID | NAME
 * ---|------
 * 1  | web01
 * ---|------
 * ```
 * @param rows - records to show
 * @param columns - columns, in order
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const headers = columns.map((c) => c.label.toUpperCase());
  const cells = rows.map((row) => columns.map((c) => oneLine(cellText(cellValue(row, c.get)))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const last = widths.length - 1;
  const rule = widths.map((w, i) => '-'.repeat(w + (i === 0 || i === last ? 1 : 2))).join('|');
  const line = (values: readonly string[]): string =>
    values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const out = [rule, line(headers), rule, ...cells.map(line), rule];
  return `${out.join('\n')}\n`;
}

/** One field of an info block: a scalar line, or a label followed by indented lines. */
export interface InfoField<T = Record<string, unknown>> {
  label: string;
  get: CellGetter<T>;
  /** When true and the value is an array, each element goes on its own indented line. */
  list?: boolean;
}

/**
 * Formats one record as aligned `Label: value` lines (hammer `info`). Array fields marked `list`
 * print their items below the label, indented by four spaces.
 * @param record - the record
 * @param fields - fields, in order
 */
export function formatInfo<T>(record: T, fields: readonly InfoField<T>[]): string {
  const width = Math.max(0, ...fields.map((f) => f.label.length + 1));
  const out: string[] = [];
  for (const f of fields) {
    const value = cellValue(record, f.get);
    const label = `${f.label}:`.padEnd(width);
    if (f.list && Array.isArray(value)) {
      out.push(`${label}`.trimEnd());
      for (const item of value) out.push(`    ${cellText(item)}`);
    } else {
      const text = cellText(value);
      const [first, ...rest] = text.split('\n');
      out.push(`${label} ${first ?? ''}`.trimEnd());
      for (const r of rest) out.push(`${' '.repeat(width + 1)}${r}`.trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}
