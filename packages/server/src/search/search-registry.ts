/**
 * @module
 * The searchable resources by controller name (Foreman's `controller` of a bookmark and the
 * path segment of `/api/<controller>/auto_complete_search`), each with its field definitions.
 */
import type { SearchDefinition } from '@remex/search-query';

import { auditSearch } from '../audit/audit-search.ts';
import { recurringLogicSearch } from '../recurring/recurring-logic-search.ts';
import { webhookDeliverySearch, webhookSearch } from '../webhooks/webhook-search.ts';
import { bookmarkSearch } from '../bookmarks/bookmark-search.ts';
import { featureSearch } from '../features/feature-search.ts';
import { hostgroupSearch } from '../hostgroups/hostgroup-search.ts';
import { factSearch } from '../hosts/fact-search.ts';
import { hostSearch } from '../hosts/host-search.ts';
import { jobInvocationSearch } from '../jobs/search/job-invocation-search.ts';
import { templateInvocationSearch } from '../jobs/search/template-invocation-search.ts';
import { operatingsystemSearch } from '../operatingsystems/operatingsystem-search.ts';
import { parameterSearch } from '../parameters/parameter-search.ts';
import { smartProxySearch } from '../proxies/smart-proxy-search.ts';
import { subnetSearch } from '../subnets/subnet-search.ts';
import { jobTemplateSearch } from '../templates/job-template-search.ts';
import { foreignInputSetSearch, templateInputSearch } from '../templates/template-input-search.ts';
import { templateRevisionSearch } from '../templates/template-revision-search.ts';
import { domainSearch } from '../domains/domain-search.ts';
import { OWNED_PARAMETER_LEVELS } from '../parameters/parameter-levels.ts';
import { taxonomySearch } from '../taxonomies/taxonomy-search.ts';
import { userSearch } from '../users/user-search.ts';

/** Any resource's definition (the table types do not matter to callers of the registry). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySearchDefinition = SearchDefinition<any, any>;

/** Search definitions by controller name. */
export const SEARCH_DEFINITIONS: Readonly<Record<string, AnySearchDefinition>> = {
  hosts: hostSearch,
  hostgroups: hostgroupSearch,
  subnets: subnetSearch,
  smart_proxies: smartProxySearch,
  job_templates: jobTemplateSearch,
  job_invocations: jobInvocationSearch,
  template_invocations: templateInvocationSearch,
  bookmarks: bookmarkSearch,
  operatingsystems: operatingsystemSearch,
  common_parameters: parameterSearch,
  remote_execution_features: featureSearch,
  users: userSearch,
  audits: auditSearch,
  recurring_logics: recurringLogicSearch,
  webhooks: webhookSearch,
  domains: domainSearch,
  organizations: taxonomySearch,
  locations: taxonomySearch,
};

/** Controller names that have a search definition, sorted. */
export const SEARCH_CONTROLLERS: readonly string[] = Object.keys(SEARCH_DEFINITIONS).sort();

/**
 * Searches of lists nested under one owner, by the list's route (Fastify syntax); each also
 * answers `<route>/auto_complete_search`. Not bookmarkable (a bookmark has no owner).
 */
export const NESTED_SEARCH_DEFINITIONS: Readonly<Record<string, AnySearchDefinition>> = {
  '/api/hosts/:owner/parameters': parameterSearch,
  '/api/hostgroups/:owner/parameters': parameterSearch,
  ...Object.fromEntries(OWNED_PARAMETER_LEVELS.map((l) => [l.base, parameterSearch])),
  '/api/hosts/:id/facts': factSearch,
  '/api/templates/:template_id/template_inputs': templateInputSearch,
  '/api/templates/:template_id/foreign_input_sets': foreignInputSetSearch,
  '/api/job_templates/:id/revisions': templateRevisionSearch,
  '/api/webhooks/:id/deliveries': webhookDeliverySearch,
};
