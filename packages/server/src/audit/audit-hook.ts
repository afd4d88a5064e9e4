/**
 * @module
 * Writes the audits of the routes in `audit-table.ts` without code in the routes (ADR 0012):
 * a `preHandler` hook reads the record before the handler (updates, destroys, cancels), an
 * `onSend` hook, once the handler has answered 2xx (its transaction committed), reads it again
 * (a create: by the id in the answer), diffs, masks the secrets and appends the audit. A 4xx or
 * 5xx answer writes nothing. Every answer carries the request id as `X-Request-Id`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { changedFields, wholeRecord } from './audit-changes.ts';
import type { AuditSnapshot } from './audit-loaders.ts';
import { insertAudits } from './audit-store.ts';
import type { AuditedRoute } from './audit-table.ts';
import { auditedRoute } from './audit-table.ts';
import { bulkChanges } from './bulk-audits.ts';

/** An audited request between its two hooks. */
interface Pending {
  route: AuditedRoute;
  before: AuditSnapshot | null;
  /** A bulk route's references and the records they named before the handler. */
  bulk?: { refs: string[]; before: Map<string, AuditSnapshot> };
}

const pending = new WeakMap<FastifyRequest, Pending>();

const params = (req: FastifyRequest): Record<string, string> => (req.params ?? {}) as Record<string, string>;

function defaultAction(method: string): 'create' | 'update' | 'destroy' {
  if (method === 'POST') return 'create';
  return method === 'DELETE' ? 'destroy' : 'update';
}

/** The answer's JSON object, or an empty one. */
function answerOf(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return {};
  try {
    const parsed: unknown = JSON.parse(payload.toString());
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The audit of one answered request: action, record and changes; null when there is nothing to record. */
async function auditOf(ctx: ServerContext, req: FastifyRequest, p: Pending, payload: unknown): Promise<OneAudit | null> {
  const db = ctx.store.db;
  const action = p.route.action ?? defaultAction(req.method);
  const details = p.route.details?.(req) ?? {};
  if (action === 'destroy') {
    if (p.before === null) req.log.warn({ route: req.routeOptions.url }, 'audit: the destroyed record could not be read before the handler');
    return p.before === null ? null : { action, record: p.before, changes: { ...wholeRecord(p.before), ...details } };
  }
  const answer = answerOf(payload);
  const answerRef = p.route.refAnswer?.(answer) ?? (typeof answer.id === 'number' || typeof answer.id === 'string' ? String(answer.id) : undefined);
  const ref = p.before?.id ?? answerRef ?? params(req).id;
  const after = ref === undefined ? null : await p.route.load(db, ref, params(req));
  if (after === null) {
    req.log.warn({ route: req.routeOptions.url }, 'audit: the changed record could not be read after the handler');
    return null;
  }
  // A change of a record the loader could not read before: recorded whole, as a create is.
  if (p.before === null) return { action: action === 'save' ? 'create' : action, record: after, changes: { ...wholeRecord(after), ...details } };
  if (action === 'create') return { action, record: after, changes: { ...wholeRecord(after), ...details } };
  return { action: action === 'cancel' ? 'cancel' : 'update', record: after, changes: { ...changedFields(p.before, after), ...details } };
}

type OneAudit = { action: string; record: AuditSnapshot; changes: Record<string, unknown> };

/** The audits of one answered request (several for a bulk route). */
async function auditsOf(ctx: ServerContext, req: FastifyRequest, p: Pending, payload: unknown): Promise<OneAudit[]> {
  if (p.bulk !== undefined && p.route.bulk !== undefined) return bulkChanges(p.bulk.before, await p.route.bulk.loadMany(ctx.store.db, p.bulk.refs));
  const one = await auditOf(ctx, req, p, payload);
  return one === null ? [] : [one];
}

/** Installs the request id header and the audit hooks on `app` (inherited by every route scope). */
export function registerAudit(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    await Promise.resolve();
  });
  app.addHook('preHandler', async (req) => {
    if (req.is404) return;
    const route = auditedRoute(`${req.method} ${req.routeOptions.url ?? ''}`);
    if (route === undefined) return;
    if (route.bulk !== undefined) {
      const refs = route.bulk.refs(req);
      if (refs !== null) pending.set(req, { route, before: null, bulk: { refs, before: await route.bulk.loadMany(ctx.store.db, refs) } });
      return;
    }
    const action = route.action ?? defaultAction(req.method);
    const ref = route.refBefore?.(req) ?? (action === 'create' ? undefined : params(req).id);
    const before = ref === undefined ? null : await route.load(ctx.store.db, ref, params(req));
    pending.set(req, { route, before });
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const p = pending.get(req);
    if (p === undefined || reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    pending.delete(req);
    try {
      const user = currentUser(req);
      const who = { user_id: user?.id ?? null, user_login: user?.login ?? null, remote_address: req.ip, request_uuid: req.id };
      const audits = await auditsOf(ctx, req, p, payload);
      await insertAudits(
        ctx.store.db,
        audits.map((a) => ({ auditable_type: p.route.type, auditable_id: a.record.id, auditable_name: a.record.name, action: a.action, changes: a.changes, ...who })),
      );
    } catch (e: unknown) {
      // The change is committed; the caller gets its answer, the operator the failure (ADR 0012).
      req.log.error({ err: e, route: req.routeOptions.url }, 'audit write failed');
    }
    return payload;
  });
}
