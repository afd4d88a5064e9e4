/**
 * @module
 * The one table of route permissions (ADR 0011): every `user` route names the permission a
 * caller needs (admins hold all), or is listed in {@link AUTHENTICATED_ROUTES} as open to any
 * authenticated user. A `user` route in neither stops the server from starting (deny by
 * default; see `route-access.ts`).
 */
import { OWNED_PARAMETER_LEVELS } from '../parameters/parameter-levels.ts';

const crud = (base: string, plural: string): Record<string, string> => ({
  [`GET ${base}`]: `view_${plural}`,
  [`GET ${base}/:id`]: `view_${plural}`,
  [`GET ${base}/auto_complete_search`]: `view_${plural}`,
  [`POST ${base}`]: `create_${plural}`,
  [`PUT ${base}/:id`]: `edit_${plural}`,
  [`DELETE ${base}/:id`]: `destroy_${plural}`,
});

const nested = (base: string, view: string, edit: string): Record<string, string> => ({
  [`GET ${base}`]: view,
  [`GET ${base}/:id`]: view,
  [`GET ${base}/auto_complete_search`]: view,
  [`POST ${base}`]: edit,
  [`PUT ${base}/:id`]: edit,
  [`DELETE ${base}/:id`]: edit,
});

/** `METHOD /url` (Fastify's pattern) → permission needed. */
export const ROUTE_PERMISSIONS: Readonly<Record<string, string>> = {
  ...crud('/api/hosts', 'hosts'),
  'POST /api/hosts/import': 'create_hosts',
  'POST /api/hosts/facts': 'create_hosts',
  'POST /api/hosts/:id/reset_host_key': 'edit_hosts',
  'GET /api/hosts/:id/facts': 'view_hosts',
  'GET /api/hosts/:id/facts/auto_complete_search': 'view_hosts',
  'GET /api/hosts/:id/available_remote_execution_features': 'view_hosts',
  ...crud('/api/hostgroups', 'hostgroups'),
  ...crud('/api/common_parameters', 'params'),
  ...crud('/api/hosts/:owner/parameters', 'params'),
  ...crud('/api/hostgroups/:owner/parameters', 'params'),
  ...Object.fromEntries(OWNED_PARAMETER_LEVELS.flatMap((l) => Object.entries(crud(l.base, 'params')))),
  ...crud('/api/domains', 'domains'),
  ...crud('/api/subnets', 'subnets'),
  ...crud('/api/smart_proxies', 'smart_proxies'),
  'POST /api/smart_proxies/credentials': 'create_smart_proxies',
  'PUT /api/smart_proxies/:id/refresh': 'edit_smart_proxies',
  'GET /api/smart_proxies/:id/status': 'view_smart_proxies',
  ...crud('/api/operatingsystems', 'operatingsystems'),
  ...crud('/api/organizations', 'organizations'),
  ...crud('/api/locations', 'locations'),
  ...crud('/api/bookmarks', 'bookmarks'),
  'GET /api/settings': 'view_settings',
  'GET /api/settings/:id': 'view_settings',
  'PUT /api/settings/:id': 'edit_settings',
  // Show, update and the list are open to every user for themselves (users/user-rules.ts).
  'GET /api/users/auto_complete_search': 'view_users',
  'POST /api/users': 'create_users',
  'DELETE /api/users/:id': 'destroy_users',
  ...crud('/api/roles', 'roles'),
  'POST /api/roles/:id/clone': 'create_roles',
  'GET /api/permissions': 'view_roles',
  'GET /api/filters': 'view_roles',
  'GET /api/filters/:id': 'view_roles',
  'POST /api/filters': 'edit_roles',
  'PUT /api/filters/:id': 'edit_roles',
  'DELETE /api/filters/:id': 'edit_roles',
  ...crud('/api/job_templates', 'job_templates'),
  'GET /api/job_templates/revision': 'view_job_templates',
  'GET /api/job_templates/:id/revisions': 'view_job_templates',
  'GET /api/job_templates/:id/revisions/auto_complete_search': 'view_job_templates',
  'GET /api/job_templates/:id/export': 'view_job_templates',
  'POST /api/job_templates/:id/preview': 'view_job_templates',
  'POST /api/job_templates/:id/clone': 'create_job_templates',
  'POST /api/job_templates/import': 'create_job_templates',
  ...nested('/api/templates/:template_id/template_inputs', 'view_job_templates', 'edit_job_templates'),
  ...nested('/api/templates/:template_id/foreign_input_sets', 'view_job_templates', 'edit_job_templates'),
  'GET /api/remote_execution_features': 'view_remote_execution_features',
  'GET /api/remote_execution_features/:id': 'view_remote_execution_features',
  'GET /api/remote_execution_features/auto_complete_search': 'view_remote_execution_features',
  'PUT /api/remote_execution_features/:id': 'edit_remote_execution_features',
  'POST /api/job_invocations': 'create_job_invocations',
  'GET /api/job_invocations': 'view_job_invocations',
  'GET /api/job_invocations/auto_complete_search': 'view_job_invocations',
  'GET /api/job_invocations/:id': 'view_job_invocations',
  'GET /api/job_invocations/:id/hosts': 'view_job_invocations',
  'GET /api/job_invocations/:id/hosts/:host_id': 'view_template_invocations',
  'GET /api/job_invocations/:id/hosts/:host_id/raw': 'view_template_invocations',
  'GET /api/job_invocations/:id/outputs': 'view_template_invocations',
  'POST /api/job_invocations/:id/outputs': 'view_template_invocations',
  'GET /api/job_invocations/:id/stream': 'view_job_invocations',
  'POST /api/job_invocations/:id/cancel': 'cancel_job_invocations',
  'POST /api/job_invocations/:id/rerun': 'create_job_invocations',
  'GET /api/audits': 'view_audit_logs',
  'GET /api/webhooks': 'view_webhooks',
  'GET /api/webhooks/:id': 'view_webhooks',
  'GET /api/webhooks/:id/deliveries': 'view_webhooks',
  'GET /api/webhooks/auto_complete_search': 'view_webhooks',
  'GET /api/webhooks/:id/deliveries/auto_complete_search': 'view_webhooks',
  'POST /api/webhooks': 'create_webhooks',
  'PUT /api/webhooks/:id': 'edit_webhooks',
  'POST /api/webhooks/:id/test': 'edit_webhooks',
  'DELETE /api/webhooks/:id': 'destroy_webhooks',
  'GET /api/recurring_logics': 'view_recurring_logics',
  'GET /api/recurring_logics/:id': 'view_recurring_logics',
  'GET /api/recurring_logics/auto_complete_search': 'view_recurring_logics',
  'POST /api/recurring_logics/:id/cancel': 'edit_recurring_logics',
  'PUT /api/recurring_logics/:id': 'edit_recurring_logics',
  'GET /api/audits/:id': 'view_audit_logs',
  'GET /api/audits/auto_complete_search': 'view_audit_logs',
};

/**
 * Routes that create or change records not named in their URL (bulk imports, uploads, credential
 * issue): besides their permission, the caller must hold each of these without a search limit,
 * since no filter could be checked against records the request only names in its body.
 */
export const UNLIMITED_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  'POST /api/hosts/import': ['create_hosts', 'edit_hosts', 'create_params', 'edit_params', 'create_hostgroups'],
  'POST /api/hosts/facts': ['create_hosts', 'edit_hosts'],
  'POST /api/job_templates/import': ['create_job_templates', 'edit_job_templates'],
  'POST /api/smart_proxies/credentials': ['create_smart_proxies', 'edit_smart_proxies'],
};

/**
 * `user` routes any authenticated user may call (their own account, status, sessions). Keep
 * this list short and explicit.
 */
export const AUTHENTICATED_ROUTES: readonly string[] = [
  'GET /api/status',
  'GET /api/current_user',
  'POST /api/logout',
  'DELETE /api/logout',
  // Yourself, or others with view_users / edit_users: checked by the handlers (users/user-rules.ts).
  'GET /api/users',
  'GET /api/users/:id',
  'PUT /api/users/:id',
  'GET /api/users/:user_id/personal_access_tokens',
  'GET /api/users/:user_id/personal_access_tokens/:id',
  'POST /api/users/:user_id/personal_access_tokens',
  'DELETE /api/users/:user_id/personal_access_tokens/:id',
];

/**
 * The permission route `key` needs: a name, `null` when any authenticated user may call it, or
 * undefined when the route is in neither table (the server refuses to start).
 */
export function routePermission(key: string): string | null | undefined {
  const permission = ROUTE_PERMISSIONS[key];
  if (permission !== undefined) return permission;
  return AUTHENTICATED_ROUTES.includes(key) ? null : undefined;
}
