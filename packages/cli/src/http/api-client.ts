/**
 * @module
 * A small HTTP client for the Remex (Foreman-compatible) REST API: Basic auth (or the Bearer
 * personal access token `remex login` stored), JSON in and out,
 * API errors turned back into the `@remex/common` error classes, Foreman-shaped lists.
 */
import { errorFromBody, InternalError } from '@remex/common';

import type { ClientConfig } from '../config/client-config.ts';

/** Query-string values; `undefined` entries are dropped. */
export type Query = Record<string, string | number | boolean | undefined>;

/** A Foreman list answer (`GET /api/<resources>`). */
export interface ListResponse<T = Record<string, unknown>> {
  total: number;
  subtotal: number;
  page: number;
  per_page: number;
  search: string | null;
  sort: { by: string | null; order: string | null } | null;
  results: T[];
}

/** Paging options of a list call. */
export interface ListOptions {
  search?: string | undefined;
  order?: string | undefined;
  /** One page only when `page` or `perPage` is given; otherwise all pages are fetched. */
  page?: number | undefined;
  perPage?: number | undefined;
  /** Extra query parameters. */
  query?: Query | undefined;
}

/** Page size used when fetching every page of a list. */
export const FETCH_ALL_PAGE_SIZE = 1000;

/** Builds `path?query`. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** Describes a network-level failure (connection refused, DNS, reset) in one phrase. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}

/** REST client bound to one server and user. */
export class ApiClient {
  readonly config: ClientConfig;
  readonly #authHeader: string | undefined;

  constructor(config: ClientConfig) {
    this.config = config;
    this.#authHeader =
      config.token !== undefined
        ? `Bearer ${config.token}`
        : config.password === undefined
          ? undefined
          : `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
  }

  /** Headers sent on every request. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', ...extra };
    if (this.#authHeader) h.authorization = this.#authHeader;
    return h;
  }

  /**
   * Sends a raw request and returns the response when it is 2xx; throws the matching Remex
   * error otherwise.
   */
  async fetchOk(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const url = `${this.config.url}${path}`;
    const headers = this.headers(init.headers);
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, signal: init.signal });
    } catch (e: unknown) {
      if ((e as { name?: string } | undefined)?.name === 'AbortError') throw e;
      throw new InternalError(`cannot reach the Remex server at ${this.config.url} (${networkReason(e)})`, { cause: e });
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: errorFromBody reports the status and text
    }
    const error = errorFromBody(parsed, res.status);
    if (res.status === 401) {
      error.message =
        this.config.token !== undefined
          ? `${error.message} (the stored token of ${this.config.username} is expired or revoked: run remex login)`
          : this.config.password === undefined
            ? `${error.message} (no password given: set REMEX_PASSWORD or "password" in ~/.config/remex/cli.yml, or run remex login)`
            : `${error.message} (as user ${this.config.username})`;
    }
    throw error;
  }

  /** Sends a request and parses the JSON answer (`null` for an empty body). */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchOk(method, path, { body });
    const text = await res.text();
    if (!text) return null as T;
    try {
      return JSON.parse(text) as T;
    } catch (e: unknown) {
      throw new InternalError(`unexpected non-JSON answer from ${method} ${path}`, { cause: e });
    }
  }

  /** `GET path?query` → JSON. */
  get<T = unknown>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  /** `POST path` with a JSON body → JSON. */
  post<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** `PUT path` with a JSON body → JSON. */
  put<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  /** `DELETE path` → JSON (or `null`). */
  delete<T = unknown>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** `GET path` → text body (for raw endpoints). */
  async getText(path: string, query?: Query): Promise<string> {
    const res = await this.fetchOk('GET', withQuery(path, query), { headers: { accept: 'text/plain, */*' } });
    return res.text();
  }

  /**
   * Lists a Foreman collection. With `page`/`perPage` one page is returned; otherwise every page
   * is fetched and concatenated (as hammer does).
   */
  async list<T = Record<string, unknown>>(path: string, options: ListOptions = {}): Promise<ListResponse<T>> {
    const base: Query = { ...options.query, search: options.search, order: options.order };
    if (options.page !== undefined || options.perPage !== undefined) {
      return this.get<ListResponse<T>>(path, { ...base, page: options.page, per_page: options.perPage });
    }
    let page = 1;
    const first = await this.get<ListResponse<T>>(path, { ...base, page, per_page: FETCH_ALL_PAGE_SIZE });
    const results = [...first.results];
    const wanted = typeof first.subtotal === 'number' ? first.subtotal : first.total;
    while (results.length < wanted) {
      page += 1;
      const next = await this.get<ListResponse<T>>(path, { ...base, page, per_page: FETCH_ALL_PAGE_SIZE });
      if (next.results.length === 0) break;
      results.push(...next.results);
    }
    return { ...first, page: 1, per_page: results.length, results };
  }
}
