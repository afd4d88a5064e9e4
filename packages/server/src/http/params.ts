/**
 * @module
 * Foreman-style request helpers: parameter unwrapping, pagination and ordering of lists.
 */
import { InputError } from '@remex/common';

/** Foreman's list envelope. */
export interface ListResponse<T> {
  total: number;
  subtotal: number;
  page: number;
  per_page: number;
  search: string | null;
  sort: { by: string | null; order: string | null };
  results: T[];
}

/** Parsed list parameters. */
export interface ListParams {
  page: number;
  perPage: number;
  search: string | null;
  order: { by: string; direction: 'asc' | 'desc' } | null;
  /**
   * Foreman's taxonomy context (`organization_id`, `location_id` query parameters) as a search
   * (`organization_id = 3 and location_id = 5`): it limits the whole list, totals included.
   */
  context?: string | null;
}

/** Default page size (Foreman's `entries_per_page`). */
export const DEFAULT_PER_PAGE = 20;
/** Largest page size: a larger `per_page` (or `all`) is clamped to it; the answer's `per_page` says so. */
export const MAX_PER_PAGE = 1000;

/** A request value as text for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`Parameter ${name} must be a positive integer, got '${show(value)}'`);
  return n;
}

/**
 * Reads `page`, `per_page`, `search` and `order` from a query string object.
 * @param query - request query
 * @param sortable - fields accepted in `order`
 */
export function listParams(query: unknown, sortable: readonly string[]): ListParams {
  const q = (query ?? {}) as Record<string, unknown>;
  const perPage = q.per_page === 'all' ? MAX_PER_PAGE : Math.min(positiveInt(q.per_page, 'per_page', DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const page = positiveInt(q.page, 'page', 1);
  const search = typeof q.search === 'string' && q.search.trim() !== '' ? q.search : null;
  let order: ListParams['order'] = null;
  if (typeof q.order === 'string' && q.order.trim() !== '') {
    const [by = '', dir = 'asc'] = q.order.trim().split(/\s+/);
    if (!sortable.includes(by)) throw new InputError(`Cannot sort by '${by}'; sortable fields: ${sortable.join(', ')}`);
    const direction = dir.toLowerCase();
    if (direction !== 'asc' && direction !== 'desc') throw new InputError(`Sort direction must be ASC or DESC, got '${dir}'`);
    order = { by, direction };
  }
  const context = (['organization_id', 'location_id'] as const)
    .filter((k) => q[k] !== undefined && q[k] !== '')
    .map((k) => `${k} = ${positiveInt(q[k], k, 1)}`)
    .join(' and ');
  return { page, perPage, search, order, context: context === '' ? null : context };
}

/** Builds the list envelope. */
export function listResponse<T>(params: ListParams, total: number, subtotal: number, results: T[]): ListResponse<T> {
  return {
    total,
    subtotal,
    page: params.page,
    per_page: params.perPage,
    search: params.search,
    sort: { by: params.order?.by ?? null, order: params.order?.direction.toUpperCase() ?? null },
    results,
  };
}

/**
 * Foreman accepts `{"host": {...}}` and, through parameter wrapping, the bare object.
 * @param body - request body
 * @param key - resource key (`host`, `job_invocation`, …)
 */
export function unwrap(body: unknown, key: string): Record<string, unknown> {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError(`Request body must be a JSON object with a '${key}' key`);
  }
  const wrapped = (body as Record<string, unknown>)[key];
  if (wrapped !== undefined) {
    if (wrapped === null || typeof wrapped !== 'object' || Array.isArray(wrapped)) throw new InputError(`'${key}' must be an object`);
    return wrapped as Record<string, unknown>;
  }
  return body as Record<string, unknown>;
}


/** Reads `inputs` (name → scalar value) from a request body; values become strings. */
export function inputValues(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('inputs must be an object of input name → value');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new InputError(`Input '${k}' must be a string`);
    out[k] = String(v);
  }
  return out;
}
