/**
 * @module
 * Foreman's names for a route: its resource and action (`GET /api/hosts/:id` is `hosts#show`),
 * as apipie lists them in `/apidoc/v2.json`, and its URL with Foreman's path param names.
 */

/** A route as the apipie document names it. */
export interface ApidocRoute {
  /** Foreman resource (`hosts`, `job_invocations`, `home`, …). */
  resource: string;
  /** Foreman action (`index`, `show`, `create`, `update`, `destroy`, or a named one). */
  action: string;
  /** The URL with Foreman's path param names (`/api/hosts/:host_id/parameters`). */
  apiUrl: string;
  /** Names of the path params, in order. */
  pathParams: string[];
}

/** Routes Foreman names differently from what their path says. */
const OVERRIDES: Readonly<Record<string, { resource: string; action: string }>> = {
  'GET /api/status': { resource: 'home', action: 'status' },
  'GET /api/openapi.json': { resource: 'home', action: 'openapi' },
  'GET /api/job_invocations/:id/hosts/:host_id': { resource: 'job_invocations', action: 'output' },
  'GET /api/job_invocations/:id/hosts/:host_id/raw': { resource: 'job_invocations', action: 'raw_output' },
  'GET /api/hosts/:id/facts': { resource: 'fact_values', action: 'index' },
  'GET /api/hosts/:id/facts/auto_complete_search': { resource: 'fact_values', action: 'auto_complete_search' },
  'GET /api/job_templates/:id/revisions/auto_complete_search': { resource: 'job_templates', action: 'revisions_auto_complete_search' },
};

/** Actions of a collection (`/api/hosts`) and of a member (`/api/hosts/:id`) by HTTP method. */
const COLLECTION_ACTIONS: Readonly<Record<string, string>> = { GET: 'index', POST: 'create' };
const MEMBER_ACTIONS: Readonly<Record<string, string>> = { GET: 'show', PUT: 'update', PATCH: 'update', DELETE: 'destroy' };

const isParam = (segment: string | undefined) => segment?.startsWith(':') === true;

/** `hosts` → `host`, `job_templates` → `job_template`, `smart_proxies` → `smart_proxy`. */
export function singular(plural: string): string {
  if (plural.endsWith('ies')) return `${plural.slice(0, -3)}y`;
  return plural.endsWith('s') ? plural.slice(0, -1) : plural;
}

/**
 * Foreman's resource and action of a route; null for routes outside `/api/`.
 * @param method - HTTP method
 * @param url - the route's URL as registered (`/api/hosts/:owner/parameters/:id`)
 */
export function apiResource(method: string, url: string): ApidocRoute | null {
  if (!url.startsWith('/api/')) return null;
  const segments = url.slice('/api/'.length).split('/');
  // A parent's param Remex calls `owner` is Foreman's `<parent>_id` (`/api/hosts/:host_id/parameters`).
  const named = segments.map((s, i) => (s === ':owner' && i > 0 ? `:${singular(segments[i - 1] ?? '')}_id` : s));
  const apiUrl = `/api/${named.join('/')}`;
  const pathParams = named.filter(isParam).map((s) => s.slice(1));
  const override = OVERRIDES[`${method} ${url}`];
  if (override !== undefined) return { ...override, apiUrl, pathParams };
  let last = named.length - 1;
  while (last >= 0 && isParam(named[last])) last--;
  const name = named[last];
  if (name === undefined) return null;
  const trailing = named.length - 1 - last;
  const before = named[last - 1];
  let resource: string;
  let action: string | undefined;
  if (trailing >= 1) {
    // `/api/hosts/:id`, `/api/hosts/:host_id/parameters/:id`: a member.
    resource = name;
    action = MEMBER_ACTIONS[method];
  } else if (last === 0 || (isParam(before) && before !== ':id')) {
    // `/api/hosts`, `/api/templates/:template_id/template_inputs`: a collection.
    resource = name;
    action = COLLECTION_ACTIONS[method];
  } else if (before === ':id') {
    // `/api/job_invocations/:id/cancel`: an action on a member.
    resource = named[last - 2] ?? name;
    action = name;
  } else {
    // `/api/hosts/facts`, `/api/hosts/auto_complete_search`: an action on the collection.
    resource = before ?? name;
    action = name;
  }
  return { resource, action: action ?? method.toLowerCase(), apiUrl, pathParams };
}
