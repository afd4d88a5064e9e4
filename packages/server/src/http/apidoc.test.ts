/**
 * `buildApidoc` on a small OpenAPI document: Foreman's names and params, the wrapped body found
 * in `oneOf` or `x-wrap`, `allOf` merged, nullable and enum params, and a self-referencing schema
 * described to a bounded depth.
 */
import { describe, expect, it } from 'vitest';

import { buildApidoc } from './apidoc.ts';
import { apiResource, singular } from './apidoc-names.ts';

const openapi = {
  paths: {
    '/api/widgets': {
      get: { summary: 'List widgets', parameters: [{ $ref: '#/components/parameters/Search' }] },
      post: {
        summary: 'Create a widget',
        requestBody: { content: { 'application/json': { schema: { oneOf: [{ type: 'object', required: ['widget'], properties: { widget: { $ref: '#/components/schemas/WidgetInput' } } }, { $ref: '#/components/schemas/WidgetInput' }] } } } },
      },
    },
    '/api/widgets/{id}': {
      put: { requestBody: { 'x-wrap': 'widget', content: { 'application/json': { schema: { type: 'object', properties: { note: { type: ['string', 'null'] } } } } } } },
    },
  },
  components: {
    parameters: { Search: { name: 'search', in: 'query', schema: { type: 'string' }, description: 'a <query>' } },
    schemas: {
      WidgetInput: {
        allOf: [
          { type: 'object', required: ['name'], properties: { name: { type: 'string' }, size: { type: 'integer' } } },
          { type: 'object', properties: { kind: { type: 'string', enum: ['round', 'square'] }, child: { $ref: '#/components/schemas/WidgetInput' }, tags_attributes: {} } },
        ],
      },
    },
  },
};

describe('buildApidoc', () => {
  const routes = [
    { method: 'GET', url: '/api/widgets' },
    { method: 'POST', url: '/api/widgets' },
    { method: 'PUT', url: '/api/widgets/:id' },
    { method: 'POST', url: '/api/widgets/:id/spin' },
    { method: 'GET', url: '/' },
  ];
  const doc = buildApidoc(openapi, routes);
  const methods = doc.docs.resources.widgets?.methods ?? [];
  const find = (name: string) => methods.find((m) => m.name === name);

  it('names resources and actions as Foreman does, routes outside /api left out', () => {
    expect(Object.keys(doc.docs.resources)).toEqual(['widgets']);
    expect(methods.map((m) => m.name)).toEqual(['index', 'create', 'update', 'spin']);
    expect(find('spin')?.params).toEqual([expect.objectContaining({ name: 'id', required: true, expected_type: 'string' })]);
    expect(find('index')?.params[0]).toMatchObject({ name: 'search', full_name: 'search', description: '\n<p>a &lt;query&gt;</p>\n', required: false });
  });

  it('describes a wrapped body as one hash with nested params', () => {
    const body = find('create')?.params.find((p) => p.name === 'widget');
    expect(body).toMatchObject({ expected_type: 'hash', required: true });
    const byName = Object.fromEntries((body?.params ?? []).map((p) => [p.name, p]));
    expect(byName.name).toMatchObject({ full_name: 'widget[name]', required: true, expected_type: 'string', allow_nil: false });
    expect(byName.size?.expected_type).toBe('numeric');
    expect(byName.kind?.validator).toBe('Must be one of: <code>round</code>, <code>square</code>.');
    expect(byName.tags_attributes?.expected_type).toBe('array');
    // The self-reference stops at a bounded depth.
    let depth = 0;
    for (let p = byName.child; p !== undefined; p = p.params?.find((q) => q.name === 'child')) depth++;
    expect(depth).toBeLessThanOrEqual(4);
    const update = find('update')?.params.find((p) => p.name === 'widget');
    expect(update).toMatchObject({ required: false, params: [expect.objectContaining({ name: 'note', full_name: 'widget[note]', allow_nil: true })] });
  });

  it("renames a parent's owner param and singularizes", () => {
    expect(apiResource('GET', '/api/hostgroups/:owner/parameters/:id')).toEqual({ resource: 'parameters', action: 'show', apiUrl: '/api/hostgroups/:hostgroup_id/parameters/:id', pathParams: ['hostgroup_id', 'id'] });
    expect(singular('smart_proxies')).toBe('smart_proxy');
    expect(apiResource('GET', '/apidoc/:file')).toBeNull();
  });
});
