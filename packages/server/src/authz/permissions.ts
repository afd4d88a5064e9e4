/**
 * @module
 * The permission catalog (ADR 0011): Foreman's permission names and resource types for every
 * resource Remex has. Filters grant permissions of one resource type; a filter's search is
 * written in the search language of that resource type ({@link RESOURCE_SEARCH_CONTROLLER}).
 */

/** Foreman resource types Remex has (the `resource_type` of permissions and filters). */
export const RESOURCE_TYPES = [
  'Host',
  'Hostgroup',
  'Parameter',
  'Subnet',
  'SmartProxy',
  'Operatingsystem',
  'Bookmark',
  'Setting',
  'User',
  'Role',
  'JobTemplate',
  'JobInvocation',
  'TemplateInvocation',
  'RemoteExecutionFeature',
  'Audit',
  'RecurringLogic',
  'Webhook',
  'Organization',
  'Location',
  'Domain',
] as const;

/** One resource type. */
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** A permission of the catalog. */
export interface Permission {
  /** Stable id (position in the catalog, from 1; the API's `id`). */
  readonly id: number;
  readonly name: string;
  readonly resource_type: ResourceType;
}

/**
 * Search controller (key of `SEARCH_DEFINITIONS`) whose language a filter of each resource type
 * is written in; a resource type without one takes only unlimited filters.
 */
export const RESOURCE_SEARCH_CONTROLLER: Readonly<Partial<Record<ResourceType, string>>> = {
  Host: 'hosts',
  Hostgroup: 'hostgroups',
  Parameter: 'common_parameters',
  Subnet: 'subnets',
  SmartProxy: 'smart_proxies',
  Operatingsystem: 'operatingsystems',
  Bookmark: 'bookmarks',
  JobTemplate: 'job_templates',
  JobInvocation: 'job_invocations',
  TemplateInvocation: 'template_invocations',
  RemoteExecutionFeature: 'remote_execution_features',
  Audit: 'audits',
  RecurringLogic: 'recurring_logics',
  Organization: 'organizations',
  Location: 'locations',
  Domain: 'domains',
};

const crud = (plural: string, type: ResourceType): [string, ResourceType][] =>
  ['view', 'create', 'edit', 'destroy'].map((verb) => [`${verb}_${plural}`, type]);

const ENTRIES: readonly [string, ResourceType][] = [
  ...crud('hosts', 'Host'),
  ...crud('hostgroups', 'Hostgroup'),
  ...crud('params', 'Parameter'),
  ...crud('subnets', 'Subnet'),
  ...crud('smart_proxies', 'SmartProxy'),
  ...crud('operatingsystems', 'Operatingsystem'),
  ...crud('bookmarks', 'Bookmark'),
  ['view_settings', 'Setting'],
  ['edit_settings', 'Setting'],
  ...crud('users', 'User'),
  ...crud('roles', 'Role'),
  ...crud('job_templates', 'JobTemplate'),
  ['lock_job_templates', 'JobTemplate'],
  ['view_job_invocations', 'JobInvocation'],
  ['create_job_invocations', 'JobInvocation'],
  ['cancel_job_invocations', 'JobInvocation'],
  ['view_template_invocations', 'TemplateInvocation'],
  ['create_template_invocations', 'TemplateInvocation'],
  ['execute_jobs_on_infrastructure_hosts', 'Host'],
  ['view_remote_execution_features', 'RemoteExecutionFeature'],
  ['edit_remote_execution_features', 'RemoteExecutionFeature'],
  ['view_audit_logs', 'Audit'],
  ['view_recurring_logics', 'RecurringLogic'],
  ['edit_recurring_logics', 'RecurringLogic'],
  ...crud('webhooks', 'Webhook'),
  ...crud('organizations', 'Organization'),
  ...crud('locations', 'Location'),
  ...crud('domains', 'Domain'),
];

/** Every permission, in catalog order. */
export const PERMISSIONS: readonly Permission[] = ENTRIES.map(([name, resource_type], i) => ({ id: i + 1, name, resource_type }));

const BY_NAME = new Map(PERMISSIONS.map((p) => [p.name, p]));
const BY_ID = new Map(PERMISSIONS.map((p) => [p.id, p]));

/** The permission named `name`, or undefined. */
export function permissionByName(name: string): Permission | undefined {
  return BY_NAME.get(name);
}

/** The permission with catalog id `id`, or undefined. */
export function permissionById(id: number): Permission | undefined {
  return BY_ID.get(id);
}

/** True when `value` is a resource type of the catalog. */
export function isResourceType(value: string): value is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(value);
}

/** The `view_` permission of `type` (every resource type but none has one). */
export function viewPermissionOf(type: ResourceType): string | undefined {
  return PERMISSIONS.find((p) => p.resource_type === type && p.name.startsWith('view_'))?.name;
}
