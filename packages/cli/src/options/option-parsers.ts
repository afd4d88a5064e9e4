/**
 * @module
 * Parsers for hammer-style option values: `key=value` lists (`--inputs`, `--parameters`), JSON
 * objects, id lists, integers and booleans. Each throws `InputError` naming the option.
 */
import { InputError } from '@remex/common';

/**
 * Parses a hammer `KeyValueList`: `k=v,k2="v, with comma",k3='x',k4=[a,b]`, or a JSON object
 * (`{"k": "v"}`).
 *
 * Rules (as hammer's): a value that starts with `"` or `'` runs to the matching quote (quotes
 * removed, commas kept); a value starting with `[` runs to the matching `]` (kept literally);
 * otherwise it runs to the next comma. Because shells strip quotes (`--inputs command="a, b"`
 * arrives as `command=a, b`), a comma-separated piece without `=` is appended to the previous
 * value, so `command=echo a,b` gives `echo a,b`. JSON values that are not strings are
 * stringified (numbers, booleans as text; objects and arrays as JSON).
 * @param text - the option value
 * @param optionName - for error messages, e.g. `--inputs`
 */
export function parseKeyValueList(text: string, optionName = '--inputs'): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseJsonObject(trimmed, optionName);
  const out: Record<string, string> = {};
  let lastKey: string | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const comma = text.indexOf(',', i);
    const eq = text.indexOf('=', i);
    if (eq < 0 || (comma >= 0 && comma < eq)) {
      // A piece without '=': continuation of the previous value.
      const end = comma < 0 ? n : comma;
      const piece = text.slice(i, end);
      if (lastKey === undefined) {
        if (piece.trim() === '') {
          i = end + 1;
          continue;
        }
        throw new InputError(`${optionName}: expected key=value, got "${piece.trim()}"`);
      }
      out[lastKey] = `${out[lastKey] ?? ''},${piece}`;
      i = end + 1;
      continue;
    }
    const key = text.slice(i, eq).trim();
    if (!key) throw new InputError(`${optionName}: empty key in "${text}"`);
    let j = eq + 1;
    while (j < n && text[j] === ' ') j += 1;
    let value: string;
    const ch = text[j];
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, j + 1);
      if (close < 0) {
        const end = text.indexOf(',', j);
        value = text.slice(eq + 1, end < 0 ? n : end).trim();
        j = end < 0 ? n : end;
      } else {
        value = text.slice(j + 1, close);
        j = close + 1;
        const end = text.indexOf(',', j);
        const tail = text.slice(j, end < 0 ? n : end);
        value += tail.trimEnd();
        j = end < 0 ? n : end;
      }
    } else if (ch === '[') {
      const close = text.indexOf(']', j);
      const end = text.indexOf(',', close < 0 ? j : close);
      value = text.slice(j, end < 0 ? n : end).trim();
      j = end < 0 ? n : end;
    } else {
      const end = text.indexOf(',', j);
      value = text.slice(j, end < 0 ? n : end).trimEnd();
      j = end < 0 ? n : end;
    }
    out[key] = value;
    lastKey = key;
    i = j + 1;
  }
  return out;
}

/** Turns a JSON value into the string a template input or parameter holds. */
function jsonValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Parses a JSON object option value into string values.
 * @param text - JSON text
 * @param optionName - for error messages
 */
export function parseJsonObject(text: string, optionName: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e: unknown) {
    throw new InputError(`${optionName}: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(`${optionName}: expected a JSON object`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k] = jsonValueText(v);
  return out;
}

/**
 * Parses a comma-separated list of positive integer ids (`1,2, 3` or `[1,2]`).
 * @param text - the option value
 * @param optionName - for error messages
 */
export function parseIdList(text: string, optionName: string): number[] {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  if (body.trim() === '') return [];
  return body.split(',').map((piece) => parseId(piece.trim(), optionName));
}

/**
 * Parses a comma-separated list of strings (`a,b` or `[a, b]`), trimming each.
 * @param text - the option value
 */
export function parseStringList(text: string): string[] {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  return body
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Parses a positive integer id.
 * @param text - the option value
 * @param optionName - for error messages
 */
export function parseId(text: string, optionName: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`${optionName}: expected a positive integer, got "${text}"`);
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`${optionName}: expected a positive integer, got "${text}"`);
  return n;
}

/**
 * Parses a non-negative integer (page numbers, counts, seconds).
 * @param text - the option value
 * @param optionName - for error messages
 */
export function parseNonNegativeInt(text: string, optionName: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`${optionName}: expected a non-negative integer, got "${text}"`);
  return Number(text.trim());
}

/**
 * Parses a hammer BOOLEAN (`true/false`, `yes/no`, `1/0`, `t/f`, `y/n`); an absent value
 * (bare flag) is `true`.
 * @param text - the option value, or `undefined`/`true` for a bare flag
 * @param optionName - for error messages
 */
export function parseBoolean(text: string | boolean | undefined, optionName: string): boolean {
  if (text === undefined || text === true) return true;
  if (text === false) return false;
  const v = text.trim().toLowerCase();
  if (['true', 'yes', 'y', '1', 't'].includes(v)) return true;
  if (['false', 'no', 'n', '0', 'f'].includes(v)) return false;
  throw new InputError(`${optionName}: expected true or false, got "${text}"`);
}

/**
 * A commander parser for an optional boolean value (`--locked`, `--locked false`), via {@link parseBoolean}.
 * @param optionName - the option, for error messages
 */
export function booleanParser(optionName: string): (v: string | undefined) => boolean {
  return (v) => parseBoolean(v, optionName);
}
