/**
 * @module
 * `/api/organizations` and `/api/locations` (Foreman API v2, ADR 0023). Schema-first:
 * `@remex/common` `api/taxonomy.ts`; queries in {@link TaxonomyStore}.
 */
import { NotAllowedError } from '@remex/common';
import { IdParamsSchema, ListQuerySchema, TaxonomyBodySchema, TaxonomyListSchema, TaxonomySchema } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { callerOf, currentUser } from '../http/auth.ts';
import { listParams } from '../http/params.ts';
import { typed, unwrapBody } from '../http/schema-first.ts';
import type { TaxonomyKind } from './taxonomy-fields.ts';
import { TaxonomyStore } from './taxonomy-store.ts';

/** The collections: URL segment, kind, body key, words. */
const KINDS: ReadonlyArray<readonly [string, TaxonomyKind, string, string]> = [
  ['organizations', 'Organization', 'organization', 'organization'],
  ['locations', 'Location', 'location', 'location'],
];

/** Registers organization and location routes. */
export function registerTaxonomyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const access = { auth: 'user' } as const;
  for (const [segment, kind, key, word] of KINDS) {
    const store = new TaxonomyStore(ctx.store.db, kind);
    const tags = [segment];
    const base = `/api/${segment}`;
    const wrapped = unwrapBody(key);
    api.get(base, { config: { access }, schema: { tags, summary: `List ${word}s`, querystring: ListQuerySchema, response: { 200: TaxonomyListSchema } } }, (req) =>
      store.list(listParams(req.query, ['name', 'title', 'id']), ctx.store.dialect, currentUser(req)),
    );
    api.get(`${base}/:id`, { config: { access }, schema: { tags, summary: `Show a ${word}`, params: IdParamsSchema, response: { 200: TaxonomySchema } } }, (req) => store.show(req.params.id));
    api.post(base, { config: { access }, preValidation: wrapped, schema: { tags, summary: `Create a ${word}`, body: TaxonomyBodySchema, response: { 201: TaxonomySchema } } }, async (req, reply) => {
      usersOnlyByAdmins(callerOf(req), req.body);
      return reply.status(201).send(await store.create(req.body));
    });
    api.put(`${base}/:id`, { config: { access }, preValidation: wrapped, schema: { tags, summary: `Update a ${word} (its *_ids replace its members)`, params: IdParamsSchema, body: TaxonomyBodySchema, response: { 200: TaxonomySchema } } }, (req) => {
      usersOnlyByAdmins(callerOf(req), req.body);
      return store.update(req.params.id, req.body);
    });
    api.delete(`${base}/:id`, { config: { access }, schema: { tags, summary: `Delete a ${word} without nested ones`, params: IdParamsSchema, response: { 200: TaxonomySchema } } }, (req) => store.delete(req.params.id));
  }
}

/** Only admins change which users are in a taxonomy: taking a user out lifts their scope (ADR 0023). */
function usersOnlyByAdmins(caller: { admin: boolean }, body: { user_ids?: unknown }): void {
  if (!caller.admin && body.user_ids !== undefined) throw new NotAllowedError('Only administrators may set user_ids: it decides which records a user works with', { code: 'missing_permission' });
}
