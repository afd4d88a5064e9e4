/**
 * @module
 * Generates `docs/openapi.yaml`: the operations of schema-first routes (those declaring a
 * response schema) come from their TypeBox schemas; every other operation, `info` and
 * `components` come from the hand-written `docs/openapi.source.yaml`. A generated path item
 * replaces the hand-written one. `openapi-drift.test.ts` fails when the committed file is not
 * what this produces (run `npm run openapi` to refresh it).
 */
import type { FastifyInstance, FastifySchema } from 'fastify';
import { isNode, parseDocument, visit } from 'yaml';

/** A registered route and its schema. */
export interface SchemaRoute {
  method: string;
  url: string;
  schema: FastifySchema & { tags?: string[]; summary?: string; description?: string };
  /** Declared `auth: 'public'` itself (login, logout): documented without security and 401. */
  public?: boolean;
}

/** Records every route of `app` (call before registering routes). */
export function recordRoutes(app: FastifyInstance): SchemaRoute[] {
  const routes: SchemaRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url, schema: (route.schema ?? {}), public: route.config?.access?.auth === 'public' });
    }
  });
  return routes;
}

/** A TypeBox schema as plain JSON Schema (symbols dropped). */
function plain(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

function parameters(route: SchemaRoute): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', route.schema.params],
    ['query', route.schema.querystring],
  ] as const) {
    if (schema === undefined) continue;
    const s = plain(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const { description, ...rest } = prop;
      out.push({ name, in: where, required: where === 'path' || (s.required ?? []).includes(name), ...(description === undefined ? {} : { description }), schema: rest });
    }
  }
  return out;
}

function operation(route: SchemaRoute, wrapKey: string | undefined): Record<string, unknown> {
  const s = route.schema;
  const responses: Record<string, unknown> = {};
  for (const [code, schema] of Object.entries((s.response ?? {}) as Record<string, unknown>)) {
    responses[code] = { description: s.summary ?? 'Success', content: { 'application/json': { schema: plain(schema) } } };
  }
  const hasBody = s.body !== undefined;
  if (hasBody) responses['400'] = ref('BadRequest');
  if (route.public !== true || hasBody) responses['401'] = ref('Unauthorized');
  if (route.method !== 'GET') responses['415'] = ref('UnsupportedMediaType');
  responses['429'] = ref('TooManyRequests');
  if (s.params !== undefined) responses['404'] = ref('NotFound');
  if (hasBody || s.querystring !== undefined || route.method !== 'GET') responses['422'] = ref('Unprocessable');
  const params = parameters(route);
  return {
    ...(s.tags === undefined ? {} : { tags: s.tags }),
    ...(s.summary === undefined ? {} : { summary: s.summary }),
    ...(s.description === undefined ? {} : { description: s.description }),
    ...(route.public === true ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(hasBody
      ? {
          requestBody: {
            required: true,
            description: wrapKey === undefined ? undefined : `The attributes, wrapped in \`${wrapKey}\` or bare.`,
            content: { 'application/json': { schema: plain(s.body) } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI document: `source` (hand-written YAML) with the path items of every schema-first
 * route replaced by operations generated from the route schemas.
 * @param source - text of `docs/openapi.source.yaml`
 * @param routes - routes recorded by {@link recordRoutes}
 */
export function buildOpenApi(source: string, routes: readonly SchemaRoute[]): string {
  const doc = parseDocument(source);
  // Aliases are expanded so that replacing a path item never drops an anchor others use.
  visit(doc, {
    Alias(_key, alias) {
      const target = alias.resolve(doc);
      return target === undefined ? undefined : doc.createNode(isNode(target) ? target.toJSON() : target);
    },
  });
  const generated = new Map<string, Record<string, unknown>>();
  for (const route of routes) {
    if (route.schema.response === undefined) continue;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const wrapKey = (route.schema as { 'x-wrap'?: string })['x-wrap'];
    const item = generated.get(path) ?? {};
    item[route.method.toLowerCase()] = JSON.parse(JSON.stringify(operation(route, wrapKey))) as unknown;
    generated.set(path, item);
  }
  for (const [path, item] of generated) {
    // Hand-written operations of the path that are not (yet) schema-first stay.
    const old = doc.getIn(['paths', path]) as { toJSON?: () => unknown } | undefined;
    const kept = (old?.toJSON?.() ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(kept)) if (!(k in item) && k !== 'parameters') merged[k] = v;
    // The hand-written operation ids stay (clients generated from the spec keep their names).
    for (const [method, op] of Object.entries(item)) {
      const id = (kept[method] as { operationId?: unknown } | undefined)?.operationId;
      if (typeof id === 'string') item[method] = { operationId: id, ...(op as Record<string, unknown>) };
    }
    doc.setIn(['paths', path], doc.createNode({ ...merged, ...item }));
  }
  const header = '# GENERATED by `npm run openapi` from docs/openapi.source.yaml and the route schemas\n# (packages/common/src/api). Edit those, not this file.\n';
  return header + doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
