/**
 * @module
 * The built-in roles (Foreman's seeds, `db/seeds.d/020-roles_list.rb`, and the REX plugin's
 * `USER_PERMISSIONS`/`MANAGER_PERMISSIONS`, with `add_all_permissions_to_default_roles` except
 * `execute_jobs_on_infrastructure_hosts`). Seeded at every start (idempotent), locked against
 * edits. A role's permissions become one filter per resource type; the REX user's
 * `view_job_invocations` filter is `user = current_user` (own jobs only), as in Foreman.
 */
import type { ResourceType } from './permissions.ts';
import { PERMISSIONS } from './permissions.ts';

/** One filter of a built-in role. */
export interface BuiltinFilter {
  readonly resource_type: ResourceType;
  readonly permissions: readonly string[];
  readonly search: string | null;
}

/** A built-in role. */
export interface BuiltinRole {
  readonly name: string;
  readonly description: string;
  readonly filters: readonly BuiltinFilter[];
}

const REX_USER = ['view_job_templates', 'view_job_invocations', 'create_job_invocations', 'view_template_invocations', 'create_template_invocations', 'view_hosts', 'view_smart_proxies', 'view_remote_execution_features'];
const REX_MANAGER = [...REX_USER, 'cancel_job_invocations', 'destroy_job_templates', 'edit_job_templates', 'create_job_templates', 'lock_job_templates', 'edit_remote_execution_features', 'view_audit_logs'];
const ALL = PERMISSIONS.map((p) => p.name);
const INFRA = 'execute_jobs_on_infrastructure_hosts';

/** Groups `names` into one filter per resource type (catalog order); `searches` by permission name. */
function filtersOf(names: readonly string[], searches: Readonly<Record<string, string>> = {}): BuiltinFilter[] {
  const groups = new Map<string, BuiltinFilter & { permissions: string[] }>();
  for (const p of PERMISSIONS) {
    if (!names.includes(p.name)) continue;
    const search = searches[p.name] ?? null;
    const key = `${p.resource_type}\u0000${search ?? ''}`;
    const group = groups.get(key) ?? { resource_type: p.resource_type, permissions: [], search };
    group.permissions.push(p.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The built-in roles, by name. */
export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  {
    name: 'Remote Execution User',
    description: 'Role with permissions to run remote execution jobs against hosts',
    filters: filtersOf(REX_USER, { view_job_invocations: 'user = current_user' }),
  },
  {
    name: 'Remote Execution Manager',
    description: 'Role with permissions to manage job templates, remote execution features, cancel jobs and view audit logs',
    filters: filtersOf(REX_MANAGER),
  },
  {
    name: 'Viewer',
    description: 'Role granting read-only access to all resources except settings',
    filters: filtersOf(ALL.filter((n) => n.startsWith('view_') && n !== 'view_settings')),
  },
  {
    name: 'Manager',
    description: 'Role granting all available permissions. With this role, user is able to do everything that admin can except for changing settings.',
    filters: filtersOf(ALL.filter((n) => n !== 'edit_settings' && n !== INFRA)),
  },
  {
    name: 'Organization admin',
    description: 'Role granting all permissions except for managing organizations and settings. It can be used to delegate administration of specific organization to a user.',
    filters: filtersOf(ALL.filter((n) => n !== 'view_settings' && n !== 'edit_settings' && n !== INFRA && n !== 'create_organizations' && n !== 'destroy_organizations')),
  },
];
