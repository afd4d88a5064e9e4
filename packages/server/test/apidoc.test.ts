/**
 * @module
 * The API described for its clients: `/apidoc/v2.json` in apipie's format lists every user route
 * as a Foreman resource method (schema-first routes with their params, a wrapped body as a nested
 * hash), `/api/openapi.json` is the OpenAPI document `npm run openapi` writes, both public; an
 * `Accept` asking for another API version gets 406.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApipieDoc, ApipieMethod, ApipieParam } from '../src/http/apidoc.ts';
import { apiResource } from '../src/http/apidoc-names.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe('API descriptions', () => {
  let t: TestServer;
  let doc: ApipieDoc;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    const res = await fetch(`${t.server.url}/apidoc/v2.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as ApipieDoc;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const method = (resource: string, name: string): ApipieMethod => {
    const found = doc.docs.resources[resource]?.methods.find((m) => m.name === name);
    if (found === undefined) throw new Error(`no ${resource}#${name} in the apidoc`);
    return found;
  };
  const param = (params: readonly ApipieParam[] | undefined, name: string): ApipieParam => {
    const found = params?.find((p) => p.name === name);
    if (found === undefined) throw new Error(`no param ${name}`);
    return found;
  };

  it('lists every user route as a method of a Foreman resource, with its path params', () => {
    const userRoutes = t.server.routes.filter((r) => r.access.auth === 'user' && r.method !== 'HEAD');
    expect(userRoutes.length).toBeGreaterThan(50);
    for (const r of userRoutes) {
      const named = apiResource(r.method, r.url);
      expect(named, `${r.method} ${r.url}`).not.toBeNull();
      if (named === null) continue;
      const m = method(named.resource, named.action);
      expect(m.apis.some((a) => a.http_method === r.method && a.api_url === named.apiUrl), `${r.method} ${r.url}`).toBe(true);
      for (const p of named.pathParams) expect(m.params.map((x) => x.name), `${r.method} ${r.url}`).toContain(p);
    }
    expect(Object.keys(doc.docs.resources)).toEqual(
      expect.arrayContaining(['home', 'hosts', 'hostgroups', 'job_templates', 'job_invocations', 'template_inputs', 'common_parameters', 'parameters', 'settings', 'smart_proxies', 'subnets', 'operatingsystems', 'bookmarks', 'remote_execution_features']),
    );
    expect(method('home', 'status').apis).toEqual([{ api_url: '/api/status', http_method: 'GET', short_description: 'Server status and version', deprecated: false }]);
    // Proxy routes are not for API clients.
    expect(JSON.stringify(doc)).not.toContain('proxy_callbacks');
  });

  it('names Foreman actions and path params', () => {
    expect(method('hosts', 'index').apis[0]?.api_url).toBe('/api/hosts');
    expect(method('hosts', 'show').apis[0]?.api_url).toBe('/api/hosts/:id');
    expect(method('hosts', 'update').apis.map((a) => a.http_method)).toEqual(['PUT']);
    expect(method('hosts', 'destroy').apis[0]?.http_method).toBe('DELETE');
    expect(method('job_invocations', 'cancel').apis[0]?.api_url).toBe('/api/job_invocations/:id/cancel');
    expect(method('job_invocations', 'output').apis[0]?.api_url).toBe('/api/job_invocations/:id/hosts/:host_id');
    expect(method('hosts', 'facts').apis).toEqual([expect.objectContaining({ api_url: '/api/hosts/facts', http_method: 'POST' })]);
    expect(method('fact_values', 'index').apis[0]?.api_url).toBe('/api/hosts/:id/facts');
    expect(method('template_inputs', 'create').apis[0]?.api_url).toBe('/api/templates/:template_id/template_inputs');
    // The parameters of every level are one resource, as in Foreman: each route's parent id is optional.
    const index = method('parameters', 'index');
    expect(index.apis.map((a) => a.api_url).sort()).toEqual([
      '/api/domains/:domain_id/parameters',
      '/api/hostgroups/:hostgroup_id/parameters',
      '/api/hosts/:host_id/parameters',
      '/api/locations/:location_id/parameters',
      '/api/operatingsystems/:operatingsystem_id/parameters',
      '/api/organizations/:organization_id/parameters',
    ]);
    expect(param(index.params, 'host_id').required).toBe(false);
    expect(param(method('hosts', 'show').params, 'id')).toMatchObject({ required: true, expected_type: 'string' });
  });

  it('describes a schema-first route: list params, and the wrapped body as a nested hash', () => {
    const index = method('hostgroups', 'index');
    expect(index.params.map((p) => p.name)).toEqual(expect.arrayContaining(['search', 'order', 'page', 'per_page']));
    const create = method('hostgroups', 'create');
    const body = param(create.params, 'hostgroup');
    expect(body).toMatchObject({ expected_type: 'hash', required: true, full_name: 'hostgroup' });
    expect(param(body.params, 'name')).toMatchObject({ full_name: 'hostgroup[name]', required: true, expected_type: 'string', allow_nil: false });
    const update = param(method('hostgroups', 'update').params, 'hostgroup');
    expect(update.required).toBe(false);
    const subnet = param(method('subnets', 'create').params, 'subnet');
    expect(param(subnet.params, 'remote_execution_proxy_ids').expected_type).toBe('array');
    const global = param(method('common_parameters', 'create').params, 'common_parameter');
    expect(param(global.params, 'value').required).toBe(true);
  });

  it('describes hand-written routes from the OpenAPI source until they are schema-first', () => {
    const body = param(method('job_invocations', 'create').params, 'job_invocation');
    expect(body.expected_type).toBe('hash');
    expect(param(body.params, 'inputs').expected_type).toBe('hash');
    expect(param(param(body.params, 'ssh').params, 'effective_user').full_name).toBe('job_invocation[ssh][effective_user]');
    expect(param(param(method('job_templates', 'create').params, 'job_template').params, 'template').expected_type).toBe('string');
  });

  it('answers localised names with the same document and others with 404, without credentials', async () => {
    const localised = await fetch(`${t.server.url}/apidoc/v2.en.json`);
    expect(localised.status).toBe(200);
    expect(((await localised.json()) as ApipieDoc).docs.resources.hosts).toBeDefined();
    expect((await fetch(`${t.server.url}/apidoc/v1.json`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/apidoc/..%2Fsecret.json`)).status).toBe(404);
  });

  it('serves a browsable page of the same description', async () => {
    const res = await fetch(`${t.server.url}/apidoc`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<h3>job_invocations#create</h3>');
    expect(html).toContain('<code>job_invocation[ssh][effective_user]</code>');
    expect(html).not.toContain('<script');
  });

  it('serves the OpenAPI document as JSON', async () => {
    const res = await fetch(`${t.server.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const openapi = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: Record<string, unknown> }>> };
    expect(openapi.openapi).toMatch(/^3\.1/);
    expect(openapi.paths['/api/hostgroups']?.post?.requestBody?.['x-wrap']).toBe('hostgroup');
  });

  it('marks every API answer with the checksum of the description (apipie clients refresh their cache on a change)', async () => {
    const a = await fetch(`${t.server.url}/api/status`);
    const b = await fetch(`${t.server.url}/api/hosts`);
    const checksum = a.headers.get('apipie-checksum');
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(b.status).toBe(401);
    expect(b.headers.get('apipie-checksum')).toBe(checksum);
  });

  it('cuts list results to id and name with thin=true', async () => {
    const full = await t.api('GET', '/api/remote_execution_features?thin=false');
    expect(full.status).toBe(200);
    expect(Object.keys(full.body.results[0] as object).length).toBeGreaterThan(2);
    const thin = await t.api('GET', '/api/remote_execution_features?thin=true&per_page=2');
    expect(thin.status).toBe(200);
    expect(thin.body).toMatchObject({ per_page: 2, total: full.body.total });
    for (const row of thin.body.results as object[]) expect(Object.keys(row).sort()).toEqual(['id', 'name']);
    expect(method('hosts', 'index').params.map((p) => p.name)).toContain('thin');
  });

  it("takes Foreman's Accept version 2 and refuses another version with 406", async () => {
    expect((await t.api('GET', '/api/status', undefined, { accept: 'application/json;version=2' })).status).toBe(200);
    expect((await t.api('GET', '/api/status', undefined, { accept: 'application/json' })).status).toBe(200);
    for (const accept of ['application/json;version=1', 'application/json; version=3']) {
      const r = await t.api('GET', '/api/hosts', undefined, { accept });
      expect(r.status, accept).toBe(406);
      expect(r.body.error.message).toMatch(/API version '\d' is not supported: this server speaks version 2/);
    }
  });
});
