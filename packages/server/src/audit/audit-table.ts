/**
 * @module
 * The one table of audited routes (ADR 0012): every state-changing user route is either here,
 * with the record type it changes and how that record is read, or in {@link NOT_AUDITED_ROUTES}
 * with the reason (a test checks the server's route table against both: deny by default).
 * Routes need no audit code of their own: `audit-hook.ts` reads the record before the handler
 * and again after a 2xx answer.
 */
import type { FastifyRequest } from 'fastify';

import type { AuditLoader } from './audit-loaders.ts';
import { OWNED_PARAMETER_LEVELS } from '../parameters/parameter-levels.ts';
import { AUDIT_LOADERS, parameterLoader } from './audit-loaders.ts';
import type { BulkAudit } from './bulk-audits.ts';
import { HOST_IMPORT } from './bulk-audits.ts';

/** What an audited route does to its record. `save` is a create or an update, told by whether the record existed. */
export type AuditRouteAction = 'create' | 'update' | 'destroy' | 'cancel' | 'save';

/** How one route is audited. */
export interface AuditedRoute {
  /** The `auditable_type` of its audits (`host`, `job_template`, …). */
  readonly type: string;
  /** Reads the record's state. */
  readonly load: AuditLoader;
  /** Default: POST create, PUT/PATCH update, DELETE destroy. */
  readonly action?: AuditRouteAction;
  /** The record's reference before the handler (default: the `:id` path parameter; none for a create). */
  readonly refBefore?: (req: FastifyRequest) => string | undefined;
  /** The record's reference in a create's answer (default: its `id`). */
  readonly refAnswer?: (answer: Record<string, unknown>) => string | undefined;
  /** Request details recorded beside the changes (e.g. a cancel's `force` and `search`). */
  readonly details?: (req: FastifyRequest) => Record<string, unknown>;
  /** For a route writing many records: each created or changed one gets its own audit. */
  readonly bulk?: BulkAudit;
}

const load = (name: string): AuditLoader => {
  const loader = AUDIT_LOADERS[name];
  if (loader === undefined) throw new Error(`No audit loader ${name}`);
  return loader;
};

const crud = (base: string, type: string, loader: AuditLoader = load(type)): Record<string, AuditedRoute> => ({
  [`POST ${base}`]: { type, load: loader },
  [`PUT ${base}/:id`]: { type, load: loader },
  [`DELETE ${base}/:id`]: { type, load: loader },
});

const body = (req: FastifyRequest): Record<string, unknown> => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});

/** The name in an imported template's metadata header (`name: …`), to tell a create from an overwrite. */
function importedName(req: FastifyRequest): string | undefined {
  const wrapped = body(req).job_template;
  const fields = typeof wrapped === 'object' && wrapped !== null ? (wrapped as Record<string, unknown>) : body(req);
  const text = typeof fields.template === 'string' ? fields.template.slice(0, 65_536) : '';
  return /^\s*name:\s*(.+?)\s*$/m.exec(text)?.[1]?.replace(/^["']|["']$/g, '');
}

/** The audited routes, by `METHOD /url` (Fastify's pattern). */
export const AUDITED_ROUTES: Readonly<Record<string, AuditedRoute>> = {
  ...crud('/api/hosts', 'host'),
  'POST /api/hosts/import': { type: 'host', load: load('host'), bulk: HOST_IMPORT },
  ...crud('/api/hostgroups', 'hostgroup'),
  ...crud('/api/common_parameters', 'parameter', parameterLoader('common')),
  ...crud('/api/hosts/:owner/parameters', 'parameter', parameterLoader('host')),
  ...crud('/api/hostgroups/:owner/parameters', 'parameter', parameterLoader('hostgroup')),
  ...Object.fromEntries(OWNED_PARAMETER_LEVELS.flatMap((l) => Object.entries(crud(l.base, 'parameter', parameterLoader(l.scope))))),
  ...crud('/api/domains', 'domain'),
  ...crud('/api/subnets', 'subnet'),
  'POST /api/smart_proxies': { type: 'smart_proxy', load: load('smart_proxy') },
  'DELETE /api/smart_proxies/:id': { type: 'smart_proxy', load: load('smart_proxy') },
  'PUT /api/smart_proxies/:id': { type: 'smart_proxy', load: load('smart_proxy') },
  'PUT /api/smart_proxies/:id/refresh': { type: 'smart_proxy', load: load('smart_proxy') },
  'POST /api/smart_proxies/credentials': { type: 'proxy_credential', load: load('proxy_credential'), refAnswer: (a) => (typeof a.name === 'string' ? a.name : undefined) },
  ...crud('/api/operatingsystems', 'operatingsystem'),
  ...crud('/api/organizations', 'organization'),
  ...crud('/api/locations', 'location'),
  ...crud('/api/bookmarks', 'bookmark'),
  'PUT /api/settings/:id': { type: 'setting', load: load('setting') },
  ...crud('/api/users', 'user'),
  'POST /api/users/:user_id/personal_access_tokens': { type: 'personal_access_token', load: load('personal_access_token') },
  'DELETE /api/users/:user_id/personal_access_tokens/:id': { type: 'personal_access_token', load: load('personal_access_token') },
  ...crud('/api/roles', 'role'),
  'POST /api/roles/:id/clone': { type: 'role', load: load('role'), action: 'create' },
  ...crud('/api/filters', 'filter'),
  ...crud('/api/job_templates', 'job_template'),
  'POST /api/job_templates/:id/clone': { type: 'job_template', load: load('job_template'), action: 'create' },
  'POST /api/job_templates/import': { type: 'job_template', load: load('job_template'), action: 'save', refBefore: importedName },
  ...crud('/api/templates/:template_id/template_inputs', 'template_input'),
  ...crud('/api/templates/:template_id/foreign_input_sets', 'foreign_input_set'),
  'PUT /api/remote_execution_features/:id': { type: 'remote_execution_feature', load: load('remote_execution_feature') },
  'POST /api/hosts/:id/reset_host_key': { type: 'host', load: load('host'), action: 'update', details: () => ({ host_key: 'reset: the next key the host presents is trusted' }) },
  'POST /api/job_invocations': { type: 'job_invocation', load: load('job_invocation') },
  'POST /api/job_invocations/:id/rerun': { type: 'job_invocation', load: load('job_invocation'), action: 'create', details: (req) => ({ rerun_of: (req.params as Record<string, string>).id ?? null }) },
  ...crud('/api/webhooks', 'webhook'),
  'PUT /api/recurring_logics/:id': { type: 'recurring_logic', load: load('recurring_logic') },
  'POST /api/recurring_logics/:id/cancel': { type: 'recurring_logic', load: load('recurring_logic'), action: 'cancel' },
  'POST /api/job_invocations/:id/cancel': {
    type: 'job_invocation',
    load: load('job_invocation'),
    action: 'cancel',
    details: (req) => ({ force: body(req).force ?? false, search: body(req).search ?? null }),
  },
};

/** State-changing user routes that write no audit, each with the reason. */
export const NOT_AUDITED_ROUTES: Readonly<Record<string, string>> = {
  'POST /api/hosts/facts': 'fact upload: facts are reported state, not configuration',
  'POST /api/job_templates/:id/preview': 'renders a preview, changes nothing',
  'POST /api/job_invocations/:id/outputs': 'reads outputs (POST for long queries), changes nothing',
  'POST /api/webhooks/:id/test': "sends a ping; it is logged in the webhook's own delivery log",
};

/** How route `key` is audited, or undefined. */
export function auditedRoute(key: string): AuditedRoute | undefined {
  return Object.hasOwn(AUDITED_ROUTES, key) ? AUDITED_ROUTES[key] : undefined;
}
