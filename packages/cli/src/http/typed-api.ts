/**
 * @module
 * Typed calls of the schema-first resources: bodies and answers are the `Static` types of the
 * schemas in `@remex/common` (`api/<resource>.ts`) the server validates and serializes with.
 */
import type {
  Audit,
  Filter,
  FilterCreate,
  FilterUpdate,
  JobTemplate,
  JobTemplateClone,
  JobTemplateCreate,
  JobTemplateSummary,
  JobTemplateUpdate,
  Role,
  RoleCreate,
  RoleDetail,
  RoleUpdate,
  Setting,
  SettingUpdate,
  User,
  UserCreate,
  UserUpdate,
  Bookmark,
  BookmarkCreate,
  BookmarkUpdate,
  Feature,
  FeatureUpdate,
  ForeignInputSet,
  ForeignInputSetBody,
  Host,
  HostCreate,
  HostDetail,
  HostFactList,
  HostFactsUpload,
  HostImport,
  HostImportResult,
  HostUpdate,
  JobCancelParams,
  JobCancelResult,
  HostOutput,
  JobHost,
  JobInvocation,
  JobInvocationCreate,
  JobRerunParams,
  RecurringLogic,
  RecurringLogicDetail,
  RecurringLogicUpdate,
  Hostgroup,
  HostgroupCreate,
  HostgroupDetail,
  HostgroupUpdate,
  Operatingsystem,
  OperatingsystemCreate,
  Taxonomy,
  TaxonomyBody,
  Domain,
  DomainBody,
  Parameter,
  ParameterCreate,
  ParameterUpdate,
  SmartProxy,
  SmartProxyCreate,
  SmartProxyCredential,
  SmartProxyUpdate,
  Status,
  Subnet,
  SubnetCreate,
  SubnetRecord,
  SubnetUpdate,
  TemplateInput,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookUpdate,
  TemplateInputAttributes,
  TemplateInputCreate,
} from '@remex/common';

import type { ApiClient, ListOptions, ListResponse } from './api-client.ts';

const ref = (id: string | number): string => encodeURIComponent(String(id));

/**
 * One collection: list items `L`, shown item `S`, create/update bodies `C`/`U`, delete answer
 * `D`, create/update answer `W`.
 */
export class ResourceApi<L, S, C, U, D = L, W = S> {
  protected readonly client: ApiClient;
  protected readonly path: string;
  protected readonly key: string;

  /**
   * @param client - the API client
   * @param path - collection path, e.g. `/api/subnets`
   * @param key - the body wrapper key, e.g. `subnet`
   */
  constructor(client: ApiClient, path: string, key: string) {
    this.client = client;
    this.path = path;
    this.key = key;
  }

  /** A page (or, without `page`/`perPage`, every page). */
  list(options: ListOptions = {}): Promise<ListResponse<L>> {
    return this.client.list<L>(this.path, options);
  }

  /** One item by id or name. */
  show(id: string | number): Promise<S> {
    return this.client.get<S>(`${this.path}/${ref(id)}`);
  }

  /** Creates an item. */
  create(body: C): Promise<W> {
    return this.client.post<W>(this.path, { [this.key]: body });
  }

  /** Updates the given attributes of an item. */
  update(id: string | number, body: U): Promise<W> {
    return this.client.put<W>(`${this.path}/${ref(id)}`, { [this.key]: body });
  }

  /** Deletes an item; answers what was deleted. */
  delete(id: string | number): Promise<D> {
    return this.client.delete<D>(`${this.path}/${ref(id)}`);
  }
}

/** A collection whose items can be cloned (`POST …/:id/clone`, body `C` under the wrapper key). */
export class CloneableApi<L, S, C, U, K, W> extends ResourceApi<L, S, C, U, L, W> {
  /** Copies item `id` under the attributes of `body`; answers the copy. */
  clone(id: string | number, body: K): Promise<W> {
    return this.client.post<W>(`${this.path}/${ref(id)}/clone`, { [this.key]: body });
  }
}

/** `/api/recurring_logics`, with cancel. */
export class RecurringLogicApi extends ResourceApi<RecurringLogic, RecurringLogicDetail, never, RecurringLogicUpdate, RecurringLogic, RecurringLogic> {
  /** @param client - the API client */
  constructor(client: ApiClient) {
    super(client, '/api/recurring_logics', 'recurring_logic');
  }

  /** Cancels logic `id`: no more occurrences, the pending one cancelled. */
  cancel(id: string | number): Promise<RecurringLogic> {
    return this.client.post<RecurringLogic>(`${this.path}/${ref(id)}/cancel`, {});
  }
}

/** `/api/webhooks`, with the delivery log and the test action. */
export class WebhookApi extends ResourceApi<Webhook, Webhook, WebhookCreate, WebhookUpdate> {
  /** @param client - the API client */
  constructor(client: ApiClient) {
    super(client, '/api/webhooks', 'webhook');
  }

  /** The deliveries of webhook `id`, newest first. */
  deliveries(id: string | number, options: ListOptions = {}): Promise<ListResponse<WebhookDelivery>> {
    return this.client.list<WebhookDelivery>(`${this.path}/${ref(id)}/deliveries`, options);
  }

  /** Sends a ping to webhook `id` now; answers the logged delivery. */
  test(id: string | number): Promise<WebhookDelivery> {
    return this.client.post<WebhookDelivery>(`${this.path}/${ref(id)}/test`, {});
  }
}

/** `/api/smart_proxies`, with the credential and refresh calls of proxy registration. */
export class SmartProxyApi extends ResourceApi<SmartProxy, SmartProxy, SmartProxyCreate, SmartProxyUpdate> {
  /** @param client - the API client */
  constructor(client: ApiClient) {
    super(client, '/api/smart_proxies', 'smart_proxy');
  }

  /** Issues the credential of proxy `name` (its secret is in this answer only). */
  issueCredential(name: string): Promise<SmartProxyCredential> {
    return this.client.post<SmartProxyCredential>('/api/smart_proxies/credentials', { smart_proxy: { name } });
  }

  /** Re-checks a registered proxy (features, key, credential). */
  refresh(id: string | number): Promise<SmartProxy> {
    return this.client.put<SmartProxy>(`/api/smart_proxies/${ref(id)}/refresh`, {});
  }
}

/** `/api/job_invocations`, with a job's hosts. */
export class JobInvocationApi extends ResourceApi<JobInvocation, JobInvocation, JobInvocationCreate, never> {
  /** @param client - the API client */
  constructor(client: ApiClient) {
    super(client, '/api/job_invocations', 'job_invocation');
  }

  /** The hosts of job `id` with their status there (every page unless `options` names one). */
  hosts(id: number, options: ListOptions = {}): Promise<ListResponse<JobHost>> {
    return this.client.list<JobHost>(`/api/job_invocations/${id}/hosts`, options);
  }

  /** Output and task (with its timeline) of host `host` (id or name) in job `id`. */
  hostOutput(id: number, host: string): Promise<HostOutput> {
    return this.client.get<HostOutput>(`/api/job_invocations/${id}/hosts/${ref(host)}`);
  }

  /** Cancels job `id` (or, with `search`, the hosts of it the search picks). */
  cancel(id: number, params: JobCancelParams): Promise<JobCancelResult> {
    return this.client.post<JobCancelResult>(`/api/job_invocations/${id}/cancel`, params);
  }

  /** Runs job `id` again (on all its hosts, or the failed / succeeded ones); answers the new job. */
  rerun(id: number, params: JobRerunParams): Promise<JobInvocation> {
    return this.client.post<JobInvocation>(`/api/job_invocations/${id}/rerun`, params);
  }
}

/** `/api/hosts`, with the bulk import. */
export class HostApi extends ResourceApi<Host, HostDetail, HostCreate, HostUpdate, Host> {
  /** @param client - the API client */
  constructor(client: ApiClient) {
    super(client, '/api/hosts', 'host');
  }

  /** The features host `id` can run (those with a job template). */
  availableFeatures(id: string | number): Promise<ListResponse<Feature>> {
    return this.client.list<Feature>(`/api/hosts/${ref(id)}/available_remote_execution_features`);
  }

  /** Creates or updates hosts in bulk (all rows or none). */
  import(body: HostImport): Promise<HostImportResult> {
    return this.client.post<HostImportResult>('/api/hosts/import', body);
  }

  /** Uploads the facts of host `body.name` (created when unknown; Foreman's fact upload). */
  uploadFacts(body: HostFactsUpload): Promise<HostDetail> {
    return this.client.post<HostDetail>('/api/hosts/facts', body);
  }

  /** A page of the facts of host `id` (`{ <host>: { fact: value } }`, as Foreman answers). */
  facts(id: string | number, query: { search?: string; per_page?: number; page?: number } = {}): Promise<HostFactList> {
    return this.client.get<HostFactList>(`/api/hosts/${ref(id)}/facts`, query);
  }
}

/**
 * The parameters of one owner: `/api/common_parameters` (key `common_parameter`) or
 * `/api/hosts/:id/parameters`, `/api/hostgroups/:id/parameters` (key `parameter`).
 * @param client - the API client
 * @param path - the parameters collection
 * @param key - the body wrapper key
 */
export function parameterApi(client: ApiClient, path: string, key: string): ResourceApi<Parameter, Parameter, ParameterCreate, ParameterUpdate> {
  return new ResourceApi<Parameter, Parameter, ParameterCreate, ParameterUpdate>(client, path, key);
}

/**
 * The inputs of one job template: `/api/templates/:template_id/template_inputs`.
 * @param client - the API client
 * @param templateId - the owning template's id
 */
export function templateInputApi(client: ApiClient, templateId: number): ResourceApi<TemplateInput, TemplateInput, TemplateInputCreate, TemplateInputAttributes> {
  return new ResourceApi<TemplateInput, TemplateInput, TemplateInputCreate, TemplateInputAttributes>(client, `/api/templates/${templateId}/template_inputs`, 'template_input');
}

/**
 * The foreign input sets of one job template: `/api/templates/:template_id/foreign_input_sets`.
 * @param client - the API client
 * @param templateId - the owning template's id
 */
export function foreignInputSetApi(client: ApiClient, templateId: number): ResourceApi<ForeignInputSet, ForeignInputSet, ForeignInputSetBody, ForeignInputSetBody> {
  return new ResourceApi<ForeignInputSet, ForeignInputSet, ForeignInputSetBody, ForeignInputSetBody>(client, `/api/templates/${templateId}/foreign_input_sets`, 'foreign_input_set');
}

/** The typed APIs of the schema-first resources. */
export function typedApi(client: ApiClient) {
  return {
    status: (): Promise<Status> => client.get<Status>('/api/status'),
    subnets: new ResourceApi<Subnet, Subnet, SubnetCreate, SubnetUpdate, SubnetRecord>(client, '/api/subnets', 'subnet'),
    bookmarks: new ResourceApi<Bookmark, Bookmark, BookmarkCreate, BookmarkUpdate>(client, '/api/bookmarks', 'bookmark'),
    features: new ResourceApi<Feature, Feature, never, FeatureUpdate>(client, '/api/remote_execution_features', 'remote_execution_feature'),
    smartProxies: new SmartProxyApi(client),
    commonParameters: parameterApi(client, '/api/common_parameters', 'common_parameter'),
    operatingsystems: new ResourceApi<Operatingsystem, Operatingsystem, OperatingsystemCreate, OperatingsystemCreate>(client, '/api/operatingsystems', 'operatingsystem'),
    organizations: new ResourceApi<Taxonomy, Taxonomy, TaxonomyBody, TaxonomyBody>(client, '/api/organizations', 'organization'),
    locations: new ResourceApi<Taxonomy, Taxonomy, TaxonomyBody, TaxonomyBody>(client, '/api/locations', 'location'),
    domains: new ResourceApi<Domain, Domain, DomainBody, DomainBody>(client, '/api/domains', 'domain'),
    hostgroups: new ResourceApi<Hostgroup, HostgroupDetail, HostgroupCreate, HostgroupUpdate, Hostgroup, Hostgroup>(client, '/api/hostgroups', 'hostgroup'),
    hosts: new HostApi(client),
    users: new ResourceApi<User, User, UserCreate, UserUpdate>(client, '/api/users', 'user'),
    roles: new CloneableApi<Role, RoleDetail, RoleCreate, RoleUpdate, RoleCreate, Role>(client, '/api/roles', 'role'),
    filters: new ResourceApi<Filter, Filter, FilterCreate, FilterUpdate>(client, '/api/filters', 'filter'),
    audits: new ResourceApi<Audit, Audit, never, never>(client, '/api/audits', 'audit'),
    settings: new ResourceApi<Setting, Setting, never, SettingUpdate>(client, '/api/settings', 'setting'),
    jobInvocations: new JobInvocationApi(client),
    recurringLogics: new RecurringLogicApi(client),
    webhooks: new WebhookApi(client),
    jobTemplates: new CloneableApi<JobTemplateSummary, JobTemplate, JobTemplateCreate, JobTemplateUpdate, JobTemplateClone, JobTemplate>(client, '/api/job_templates', 'job_template'),
  };
}
