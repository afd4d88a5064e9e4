/**
 * @module
 * The one typed API client of the UI: every call to the server goes through {@link ApiClient}
 * (the browser session of `POST /api/login`: the HttpOnly cookie travels by itself, the CSRF
 * token goes in `X-CSRF-Token` on state-changing requests; JSON in and out, errors as
 * {@link ApiError}). ADR 0010.
 */
import type { CurrentUserAnswer, LoginAnswer } from '@remex/common';

/** An answer other than 2xx, with the server's message. */
export class ApiError extends Error {
  /** HTTP status (0 when the server could not be reached). */
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Login and password typed into the login form. */
export interface Credentials {
  login: string;
  password: string;
}

/** Query parameters; undefined and empty values are left out. */
export type Query = Record<string, string | number | boolean | undefined | null>;

/** Builds `path?query` with empty values left out. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { message?: string; full_messages?: string[] } };
    message = body.error?.full_messages?.join('; ') ?? body.error?.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, message);
}

/** Methods that need the CSRF token. */
const STATE_CHANGING = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Typed access to the Remex API. */
export class ApiClient {
  private csrfToken: string | null;
  private readonly base: string;
  private readonly fetcher: typeof fetch;
  /** Called when the server answers 401 (the session ended): the UI shows the login form. */
  onUnauthorized: (() => void) | null = null;

  constructor(csrfToken: string | null = null, base = '', fetcher: typeof fetch = (...a) => fetch(...a)) {
    this.csrfToken = csrfToken;
    this.base = base;
    this.fetcher = fetcher;
  }

  /** Replaces the CSRF token sent from now on (null: none). */
  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  /** Raw request (used by the SSE reader too); throws {@link ApiError} on non-2xx. */
  async request(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
    // X-Requested-With: a 401 then carries no Basic challenge, so the browser opens no login dialog of its own.
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...(init.headers as Record<string, string> | undefined) };
    if (this.csrfToken !== null && STATE_CHANGING.includes(method)) headers['X-CSRF-Token'] = this.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetcher(`${this.base}${path}`, { ...init, method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, `The server could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) {
      if (res.status === 401 && path !== '/api/login') this.onUnauthorized?.();
      throw await errorOf(res);
    }
    return res;
  }

  /** GET JSON. */
  async get<T>(path: string, query?: Query): Promise<T> {
    const res = await this.request('GET', withQuery(path, query));
    return (await res.json()) as T;
  }

  /** GET as text (e.g. a template export). */
  async getText(path: string): Promise<string> {
    const res = await this.request('GET', path, undefined, { headers: { Accept: 'text/plain, */*' } });
    return res.text();
  }

  /** DELETE; the JSON answer. */
  async del<T>(path: string): Promise<T> {
    const res = await this.request('DELETE', path);
    return (await res.json()) as T;
  }

  /** POST JSON. */
  async post<T>(path: string, body?: unknown): Promise<T> {
    const res = await this.request('POST', path, body ?? {});
    return (await res.json()) as T;
  }

  /** POST JSON, answer as text (e.g. a template preview). */
  async postText(path: string, body?: unknown): Promise<string> {
    const res = await this.request('POST', path, body ?? {});
    return res.text();
  }

  /** PUT JSON. */
  async put<T>(path: string, body: unknown): Promise<T> {
    const res = await this.request('PUT', path, body);
    return (await res.json()) as T;
  }

  /** Logs in (`POST /api/login`): the server sets the session cookie; the CSRF token is kept. */
  async login(c: Credentials): Promise<LoginAnswer> {
    const answer = await this.post<LoginAnswer>('/api/login', { login: c.login, password: c.password });
    this.csrfToken = answer.csrf_token;
    return answer;
  }

  /** The user of the session cookie (and its CSRF token, kept), or null when there is no live session. */
  async resume(): Promise<CurrentUserAnswer | null> {
    try {
      const me = await this.get<CurrentUserAnswer>('/api/current_user');
      this.csrfToken = me.csrf_token ?? null;
      return me;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  }

  /** Ends the session (`POST /api/logout`, which also clears the cookie). */
  async logout(): Promise<void> {
    try {
      await this.request('POST', '/api/logout');
    } finally {
      this.csrfToken = null;
    }
  }
}
