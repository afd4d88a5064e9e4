/**
 * @module
 * `--output table|json|yaml` for listing and info commands: tables for people, the API's own
 * results (array or object) as JSON or YAML for scripts.
 */
import { dump as dumpYaml } from 'js-yaml';

import { InputError } from '@remex/common';

import { type Column, formatInfo, formatTable, type InfoField } from './table-format.ts';

/** The output formats every listing and info command accepts. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** All values of {@link OutputFormat}. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];

/**
 * Validates an `--output` value.
 * @param value - the option value (default `table`)
 */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  const v = (value ?? 'table').toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(v)) return v as OutputFormat;
  throw new InputError(`--output must be one of ${OUTPUT_FORMATS.join(', ')} (got "${value}")`);
}

/** Serialises data as pretty JSON or YAML. */
export function renderData(format: 'json' | 'yaml', data: unknown): string {
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  return dumpYaml(data, { lineWidth: -1, noRefs: true });
}

/**
 * Renders a list: a table, or the results array as JSON/YAML.
 * @param format - output format
 * @param rows - the `results` of a list answer
 * @param columns - table columns
 */
export function renderList<T>(format: OutputFormat, rows: readonly T[], columns: readonly Column<T>[]): string {
  return format === 'table' ? formatTable(rows, columns) : renderData(format, rows);
}

/**
 * Renders one record: `Label: value` lines, or the object as JSON/YAML.
 * @param format - output format
 * @param record - the record as the API returned it
 * @param fields - info fields
 */
export function renderRecord<T>(format: OutputFormat, record: T, fields: readonly InfoField<T>[]): string {
  return format === 'table' ? formatInfo(record, fields) : renderData(format, record);
}
