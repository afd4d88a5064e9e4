/**
 * @module
 * The API described in apipie's format (`GET /apidoc/v2.json`), as Foreman serves it for its
 * clients (hammer, apypie and so the `theforeman.foreman` Ansible collection). It is derived from
 * the OpenAPI document of the same routes (`openapi.ts`): every route of the route table appears
 * as a method of a Foreman resource (`hosts#index`, `job_invocations#create`, `home#status`, …)
 * with its `apis` and its params; a route the OpenAPI document does not describe yet still
 * appears with its path params. A body Foreman wraps (`{"host": {...}}`) is one `hash` param
 * whose `params` are the attributes, as apipie declares it (apypie's `prepare_params` wraps the
 * attributes under that name).
 */
import { apiResource } from './apidoc-names.ts';
import type { ApidocRoute } from './apidoc-names.ts';

/** A param of an apipie method. */
export interface ApipieParam {
  name: string;
  full_name: string;
  description: string;
  required: boolean;
  allow_nil: boolean;
  allow_blank: boolean;
  validator: string;
  expected_type: 'string' | 'numeric' | 'boolean' | 'array' | 'hash';
  metadata: null;
  show: true;
  validations: [];
  params?: ApipieParam[];
}

/** A method (action) of an apipie resource. */
export interface ApipieMethod {
  doc_url: string;
  name: string;
  apis: Array<{ api_url: string; http_method: string; short_description: string; deprecated: boolean }>;
  formats: ['json'];
  full_description: string;
  errors: [];
  params: ApipieParam[];
  returns: [];
  examples: [];
  metadata: null;
  see: [];
  headers: [];
  show: true;
  deprecated: boolean;
}

/** A resource of the apipie document. */
export interface ApipieResource {
  doc_url: string;
  id: string;
  api_url: string;
  name: string;
  short_description: string | null;
  full_description: string | null;
  version: 'v2';
  formats: ['json'];
  metadata: null;
  methods: ApipieMethod[];
  headers: [];
  deprecated: boolean;
}

/** The whole apipie document. */
export interface ApipieDoc {
  docs: { name: string; info: string; copyright: string; doc_url: string; api_url: string; link_extension: string; resources: Record<string, ApipieResource> };
}

type Json = Record<string, unknown>;

/** Nested params are described this deep (the API's own bodies nest two levels at most). */
const MAX_DEPTH = 4;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows `$ref`s (`#/...` pointers into `doc`), a bounded number of times. */
function deref(doc: Json, value: unknown): Json {
  let node: unknown = value;
  for (let hops = 0; hops < 8 && isObject(node) && typeof node.$ref === 'string'; hops++) {
    const ref: string = node.$ref;
    node = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, key) => (isObject(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
  }
  return isObject(node) ? node : {};
}

/** The JSON types a schema admits (through `type`, `oneOf`/`anyOf`, `const`, `properties`). */
function typesOf(doc: Json, schema: Json, depth = 0): Set<string> {
  const out = new Set<string>();
  const t = schema.type;
  if (typeof t === 'string') out.add(t);
  if (Array.isArray(t)) for (const x of t) if (typeof x === 'string') out.add(x);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants) && depth < MAX_DEPTH) for (const v of variants) for (const x of typesOf(doc, deref(doc, v), depth + 1)) out.add(x);
  }
  if (out.size === 0 && (isObject(schema.properties) || Array.isArray(schema.allOf))) out.add('object');
  return out;
}

const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

function expectedType(name: string, types: Set<string>): ApipieParam['expected_type'] {
  const kinds = [...types].filter((t) => t !== 'null');
  // A schema of any value: Rails nested attributes (`*_attributes`) are lists (or index maps).
  if (kinds.length === 0) return name.endsWith('_attributes') ? 'array' : 'string';
  if (kinds.length === 1) {
    const only = kinds[0];
    if (only === 'integer' || only === 'number') return 'numeric';
    if (only === 'boolean') return 'boolean';
    if (only === 'array') return 'array';
    if (only === 'object') return 'hash';
    return 'string';
  }
  // Several kinds: apypie checks only string/numeric/boolean, so a scalar mix is a string (it
  // takes numbers too) and a mix with a structure names the structure.
  if (kinds.every((k) => SCALARS.has(k))) return 'string';
  return kinds.includes('array') ? 'array' : 'hash';
}

const VALIDATORS: Record<ApipieParam['expected_type'], string> = {
  string: 'Must be a String',
  numeric: 'Must be a number.',
  boolean: 'Must be one of: <code>true</code>, <code>false</code>, <code>1</code>, <code>0</code>.',
  array: 'Must be an array of any type',
  hash: 'Must be a Hash',
};

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The properties and required names of an object schema (`allOf` parts merged). */
function objectParts(doc: Json, schema: Json, depth: number): { properties: Record<string, unknown>; required: Set<string> } {
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  const parts = [schema, ...(Array.isArray(schema.allOf) && depth < MAX_DEPTH ? schema.allOf.map((p) => deref(doc, p)) : [])];
  for (const part of parts) {
    if (isObject(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) for (const r of part.required) if (typeof r === 'string') required.add(r);
  }
  return { properties, required };
}

/** One param described by `schema`. */
function param(doc: Json, name: string, fullName: string, schemaIn: unknown, required: boolean, depth: number, description?: unknown): ApipieParam {
  const schema = deref(doc, schemaIn);
  const types = typesOf(doc, schema);
  const type = expectedType(name, types);
  const text = typeof description === 'string' ? description : typeof schema.description === 'string' ? schema.description : '';
  const choices = Array.isArray(schema.enum) ? schema.enum.map(String) : null;
  const out: ApipieParam = {
    name,
    full_name: fullName,
    description: text === '' ? '' : `\n<p>${escapeHtml(text)}</p>\n`,
    required,
    allow_nil: types.has('null'),
    allow_blank: false,
    validator: choices === null ? VALIDATORS[type] : `Must be one of: ${choices.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ')}.`,
    expected_type: type,
    metadata: null,
    show: true,
    validations: [],
  };
  const nested = type === 'array' ? deref(doc, variant(doc, schema, 'array').items) : type === 'hash' ? variant(doc, schema, 'object') : null;
  if (nested !== null && depth < MAX_DEPTH) {
    const inner = params(doc, nested, fullName, depth + 1);
    if (inner.length > 0) out.params = inner;
  }
  return out;
}

/** The `kind` variant of a schema that may also be another kind (`oneOf: [object, string]`). */
function variant(doc: Json, schema: Json, kind: 'object' | 'array'): Json {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants)) for (const v of variants.map((x) => deref(doc, x))) if (typesOf(doc, v).has(kind)) return v;
  }
  return schema;
}

/** The params of an object schema, their full names under `prefix` (`host[name]`). */
function params(doc: Json, schema: Json, prefix: string, depth: number): ApipieParam[] {
  const { properties, required } = objectParts(doc, schema, depth);
  return Object.entries(properties).map(([name, prop]) => param(doc, name, prefix === '' ? name : `${prefix}[${name}]`, prop, required.has(name), depth));
}

/**
 * The body of an operation: Foreman's wrapped form (`oneOf: [{key: attrs}, attrs]`, or a
 * generated body marked `x-wrap`) is one required hash param named after the key.
 */
function bodyParams(doc: Json, operation: Json, method: string): ApipieParam[] {
  const body = deref(doc, operation.requestBody);
  const content = isObject(body.content) ? body.content : {};
  const json = isObject(content['application/json']) ? content['application/json'] : {};
  const schema = deref(doc, json.schema);
  let key = typeof body['x-wrap'] === 'string' ? body['x-wrap'] : undefined;
  let attributes = schema;
  if (key === undefined && Array.isArray(schema.oneOf)) {
    for (const variant of schema.oneOf.map((v) => deref(doc, v))) {
      const props = isObject(variant.properties) ? Object.keys(variant.properties) : [];
      const wrapped = props.length === 1 && props[0] !== undefined && isObject(variant.properties) ? deref(doc, variant.properties[props[0]]) : null;
      if (wrapped !== null && typesOf(doc, wrapped).has('object')) {
        key = props[0];
        attributes = wrapped;
        break;
      }
    }
  }
  if (key === undefined) return params(doc, variant(doc, attributes, 'object'), '', 0);
  const inner = params(doc, attributes, key, 1);
  const wrapper = param(doc, key, key, { type: 'object' }, method === 'post' && inner.some((p) => p.required), 1);
  return [{ ...wrapper, params: inner }];
}

/** Query params of an operation (path item params included). */
function requestParams(doc: Json, pathItem: Json, operation: Json): ApipieParam[] {
  const out: ApipieParam[] = [];
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
  const declared = [...list(pathItem.parameters), ...list(operation.parameters)];
  for (const p of declared.map((x) => deref(doc, x))) {
    // Path params are named from the route itself (see pathParams).
    if (typeof p.name !== 'string' || p.in !== 'query') continue;
    out.push(param(doc, p.name, p.name, p.schema, p.required === true, 0, p.description));
  }
  return out;
}

/** Params of the path (`:id`, `:template_id`, …) as Foreman names them, all required. */
function pathParams(route: ApidocRoute): ApipieParam[] {
  return route.pathParams.map((name) => param({}, name, name, { type: 'string', description: name === 'id' ? 'Id or name' : `Id or name of the ${name.replace(/_id$/, '')}` }, true, 0));
}

/** A path param is required when every route of the method has it (`parameters` by host or hostgroup). */
function requireCommonPathParams(method: ApipieMethod): void {
  for (const p of method.params) {
    const inPath = method.apis.filter((a) => a.api_url.split('/').includes(`:${p.name}`)).length;
    if (inPath > 0) p.required = inPath === method.apis.length;
  }
}

function mergeParams(into: ApipieParam[], more: readonly ApipieParam[]): void {
  for (const p of more) if (!into.some((q) => q.name === p.name)) into.push(p);
}

/**
 * The apipie document of `routes`, described by the OpenAPI document `openapi` (a plain object).
 * @param openapi - the OpenAPI document (`openApiDocument(...).toJSON()`)
 * @param routes - the routes to describe (method and URL as registered)
 */
export function buildApidoc(openapi: Json, routes: ReadonlyArray<{ method: string; url: string }>): ApipieDoc {
  const resources: Record<string, ApipieResource> = {};
  const paths = isObject(openapi.paths) ? openapi.paths : {};
  for (const raw of routes) {
    const route = apiResource(raw.method, raw.url);
    if (route === null) continue;
    const pathItem = deref(openapi, paths[raw.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]);
    const operation = deref(openapi, pathItem[raw.method.toLowerCase()]);
    const resource = (resources[route.resource] ??= {
      doc_url: `/apidoc/v2/${route.resource}`,
      id: route.resource,
      api_url: '/api',
      name: route.resource
        .split('_')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(' '),
      short_description: null,
      full_description: null,
      version: 'v2',
      formats: ['json'],
      metadata: null,
      methods: [],
      headers: [],
      deprecated: false,
    });
    let method = resource.methods.find((m) => m.name === route.action);
    if (method === undefined) {
      method = {
        doc_url: `/apidoc/v2/${route.resource}/${route.action}`,
        name: route.action,
        apis: [],
        formats: ['json'],
        full_description: typeof operation.description === 'string' ? `\n<p>${escapeHtml(operation.description)}</p>\n` : '',
        errors: [],
        params: [],
        returns: [],
        examples: [],
        metadata: null,
        see: [],
        headers: [],
        show: true,
        deprecated: false,
      };
      resource.methods.push(method);
    }
    const summary = typeof operation.summary === 'string' ? operation.summary : `${raw.method} ${route.apiUrl}`;
    if (!method.apis.some((a) => a.api_url === route.apiUrl && a.http_method === raw.method)) {
      method.apis.push({ api_url: route.apiUrl, http_method: raw.method, short_description: summary, deprecated: false });
    }
    mergeParams(method.params, pathParams(route));
    mergeParams(method.params, requestParams(openapi, pathItem, operation));
    mergeParams(method.params, bodyParams(openapi, operation, raw.method.toLowerCase()));
  }
  for (const resource of Object.values(resources)) for (const method of resource.methods) requireCommonPathParams(method);
  return {
    docs: { name: 'Remex', info: 'Remex API v2 (Foreman remote execution compatible)', copyright: '', doc_url: '/apidoc/v2', api_url: '/api', link_extension: '.html', resources },
  };
}
