/**
 * @module
 * The searchable resources by controller name (Foreman's `controller` of a bookmark and the
 * path segment of `/api/<controller>/auto_complete_search`), each with its field definitions.
 */
import type { SearchDefinition } from '@remex/search-query';

import { bookmarkSearch } from '../bookmarks/bookmark-search.ts';
import { hostgroupSearch } from '../hostgroups/hostgroup-search.ts';
import { hostSearch } from '../hosts/host-search.ts';
import { jobInvocationSearch } from '../jobs/job-invocation-search.ts';
import { templateInvocationSearch } from '../jobs/template-invocation-search.ts';
import { smartProxySearch } from '../proxies/smart-proxy-search.ts';
import { subnetSearch } from '../subnets/subnet-search.ts';
import { jobTemplateSearch } from '../templates/job-template-search.ts';

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
};

/** Controller names that have a search definition, sorted. */
export const SEARCH_CONTROLLERS: readonly string[] = Object.keys(SEARCH_DEFINITIONS).sort();
