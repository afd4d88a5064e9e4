/**
 * @module
 * The one typed API client of the UI: every call to the server goes through {@link ApiClient}
 * (HTTP Basic from the session, JSON in and out, errors as {@link ApiError}).
 */

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

/** Login and password of the session. */
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

/** The `Authorization` header value for `c` (UTF-8 safe base64). */
export function basicAuth(c: Credentials): string {
  const bytes = new TextEncoder().encode(`${c.login}:${c.password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
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

/** Typed access to the Remex API. */
export class ApiClient {
  private credentials: Credentials | null;
  private readonly base: string;
  private readonly fetcher: typeof fetch;

  constructor(credentials: Credentials | null = null, base = '', fetcher: typeof fetch = (...a) => fetch(...a)) {
    this.credentials = credentials;
    this.base = base;
    this.fetcher = fetcher;
  }

  /** Replaces the credentials sent from now on. */
  setCredentials(c: Credentials | null): void {
    this.credentials = c;
  }

  /** Raw request (used by the SSE reader too); throws {@link ApiError} on non-2xx. */
  async request(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) };
    if (this.credentials) headers.Authorization = basicAuth(this.credentials);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      // credentials 'omit': a 401 must not make the browser open its own login prompt.
      res = await this.fetcher(`${this.base}${path}`, { ...init, method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, `The server could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  /** GET JSON. */
  async get<T>(path: string, query?: Query): Promise<T> {
    const res = await this.request('GET', withQuery(path, query));
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

  /** Checks credentials: `GET /api/current_user` when the server has it, else `GET /api/status`. */
  async checkLogin(c: Credentials): Promise<void> {
    const probe = new ApiClient(c, this.base, this.fetcher);
    try {
      await probe.get('/api/current_user');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        await probe.get('/api/status');
        return;
      }
      throw e;
    }
  }
}
