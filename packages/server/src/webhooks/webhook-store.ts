/**
 * @module
 * Webhooks an admin registers and the durable queue of their deliveries (ADR 0022). Events are
 * queued in the transaction that makes them (a job stopping, a host task ending, a recurring
 * occurrence skipped), one delivery row per subscribed, enabled webhook (a disabled one gets
 * none); the deliverer sends them. A webhook with {@link MAX_PENDING} deliveries waiting gets no more until it catches up
 * (the event is dropped and logged), so a dead receiver cannot grow the queue without bound.
 */
import { InputError, NotFoundError, WEBHOOK_EVENTS, type Webhook, type WebhookCreate, type WebhookDelivery, type WebhookEvent, type WebhookUpdate, looseBoolean } from '@remex/common';
import type { Kysely } from 'kysely';

import type { Database, WebhookDeliveryRow, WebhookRow } from '../db/schema.ts';
import { chunks, flag, isSet, nowIso } from '../db/time.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** Most deliveries waiting per webhook. */
export const MAX_PENDING = 10_000;
/** Most custom headers per webhook. */
const MAX_HEADERS = 20;
/** Header names a webhook may not set (the request's own, and the signature's). */
const RESERVED_HEADER = /^(host|content-length|content-type|content-encoding|transfer-encoding|connection|x-remex-.*)$/i;
/** A header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Checks a webhook URL: http(s) only, no credentials in it. */
function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch (e: unknown) {
    throw new InputError(`url '${url}' is not a URL`, { cause: e });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InputError(`url must be http:// or https://, got '${parsed.protocol}'`);
  if (parsed.username !== '' || parsed.password !== '') throw new InputError('url must not carry a user or password; use http_headers (e.g. Authorization) instead');
  return parsed.toString();
}

/** Checks the events: known names, at least one, no repeats. */
function checkEvents(events: readonly string[]): WebhookEvent[] {
  const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length > 0) throw new InputError(`events: unknown event ${unknown.map((e) => `'${e}'`).join(', ')}; known: ${WEBHOOK_EVENTS.join(', ')}`);
  if (events.length === 0) throw new InputError('events must name at least one event');
  return [...new Set(events)] as WebhookEvent[];
}

/** Checks custom headers: few, valid names, none reserved, no line breaks. */
function checkHeaders(headers: Record<string, string>): Record<string, string> {
  const entries = Object.entries(headers);
  if (entries.length > MAX_HEADERS) throw new InputError(`http_headers: at most ${MAX_HEADERS} headers`);
  for (const [name, value] of entries) {
    if (!HEADER_NAME.test(name)) throw new InputError(`http_headers: '${name}' is not a header name`);
    if (RESERVED_HEADER.test(name)) throw new InputError(`http_headers: '${name}' is set by Remex and cannot be overridden`);
    if (/[\r\n\0]/.test(value)) throw new InputError(`http_headers: the value of '${name}' must not contain line breaks`);
  }
  return Object.fromEntries(entries);
}

/** Header names whose values are credentials: shown as `*****`. */
const SECRET_HEADER = /authorization|token|secret|password|cookie|api[-_]?key|signature/i;

/** Custom headers as shown: credential values masked. */
function shownHeaders(json: string): Record<string, string> {
  return Object.fromEntries(Object.entries(JSON.parse(json) as Record<string, string>).map(([k, v]) => [k, SECRET_HEADER.test(k) ? '*****' : v]));
}

/** A webhook as the API shows it: never its secret, credential headers masked. */
export function serializeWebhook(w: WebhookRow): Webhook {
  return {
    id: w.id,
    name: w.name,
    url: w.url,
    events: JSON.parse(w.events) as string[],
    enabled: isSet(w.enabled),
    has_secret: w.secret !== null,
    http_headers: shownHeaders(w.headers),
    created_at: w.created_at,
    updated_at: w.updated_at,
  };
}

/** A delivery as the API shows it. */
export function serializeDelivery(d: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: d.id,
    event: d.event,
    state: d.state,
    attempts: d.attempts,
    next_attempt_at: d.state === 'pending' ? d.next_attempt_at : null,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    duration_ms: d.duration_ms,
    created_at: d.created_at,
    delivered_at: d.delivered_at,
    payload: JSON.parse(d.payload) as unknown,
  };
}

/**
 * The webhook `ref` names (id or name).
 * @throws NotFoundError when there is none
 */
export async function findWebhook(db: Kysely<Database>, ref: string): Promise<WebhookRow> {
  const q = db.selectFrom('webhooks').selectAll();
  const row = await (/^\d+$/.test(ref) ? q.where('id', '=', Number(ref)) : q.where('name', '=', ref)).executeTakeFirst();
  if (!row) throw new NotFoundError(`Webhook '${ref}' not found`);
  return row;
}

async function checkName(db: Kysely<Database>, name: string, except?: number): Promise<string> {
  const trimmed = name.trim();
  let q = db.selectFrom('webhooks').select('id').where('name', '=', trimmed);
  if (except !== undefined) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw new InputError(`name '${trimmed}' has already been taken`);
  return trimmed;
}

/** Creates a webhook (its secret sealed). */
export async function createWebhook(db: Kysely<Database>, body: WebhookCreate, secrets: SecretBox): Promise<WebhookRow> {
  const now = nowIso();
  return db
    .insertInto('webhooks')
    .values({
      name: await checkName(db, body.name),
      url: checkUrl(body.url),
      events: JSON.stringify(checkEvents(body.events)),
      secret: body.secret ? secrets.seal(body.secret) : null,
      headers: JSON.stringify(checkHeaders(body.http_headers ?? {})),
      enabled: flag(body.enabled === undefined ? true : looseBoolean(body.enabled)),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Headers sent back as shown: a masked value (`*****`) keeps the stored one. */
function keepMasked(headers: Record<string, string>, stored: string): Record<string, string> {
  const old = JSON.parse(stored) as Record<string, string>;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === '*****' && old[k] !== undefined ? old[k] : v]));
}

/** Changes what `body` names. */
export async function updateWebhook(db: Kysely<Database>, w: WebhookRow, body: WebhookUpdate, secrets: SecretBox): Promise<WebhookRow> {
  return db
    .updateTable('webhooks')
    .set({
      ...(body.name === undefined ? {} : { name: await checkName(db, body.name, w.id) }),
      ...(body.url === undefined ? {} : { url: checkUrl(body.url) }),
      ...(body.events === undefined ? {} : { events: JSON.stringify(checkEvents(body.events)) }),
      ...(body.secret === undefined ? {} : { secret: body.secret ? secrets.seal(body.secret) : null }),
      ...(body.http_headers === undefined ? {} : { headers: JSON.stringify(checkHeaders(keepMasked(body.http_headers, w.headers))) }),
      ...(body.enabled === undefined ? {} : { enabled: flag(looseBoolean(body.enabled)) }),
      updated_at: nowIso(),
    })
    .where('id', '=', w.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a webhook and its deliveries. */
export async function deleteWebhook(db: Kysely<Database>, w: WebhookRow): Promise<void> {
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', w.id).execute();
  await db.deleteFrom('webhooks').where('id', '=', w.id).execute();
}

/** The enabled webhooks subscribed to `event`. */
async function subscribers(db: Kysely<Database>, event: WebhookEvent): Promise<WebhookRow[]> {
  const rows = await db.selectFrom('webhooks').selectAll().where('enabled', '=', 1).where('events', 'like', `%"${event}"%`).execute();
  return rows.filter((w) => (JSON.parse(w.events) as string[]).includes(event));
}

/** What {@link queueWebhookEvents} did. */
export interface QueueResult {
  queued: number;
  /** Events not queued because their webhook had {@link MAX_PENDING} deliveries waiting. */
  dropped: number;
}

/**
 * Queues `payloads` of `event` for every enabled webhook subscribed to it (run in the transaction
 * that makes the event). `payloads` is only called when someone subscribed.
 */
export async function queueWebhookEvents(db: Kysely<Database>, event: WebhookEvent, payloads: () => Promise<readonly object[]> | readonly object[]): Promise<QueueResult> {
  const hooks = await subscribers(db, event);
  const result: QueueResult = { queued: 0, dropped: 0 };
  if (hooks.length === 0) return result;
  const bodies = await payloads();
  if (bodies.length === 0) return result;
  const now = nowIso();
  for (const w of hooks) {
    const pending = Number((await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('webhook_id', '=', w.id).where('state', '=', 'pending').executeTakeFirstOrThrow()).n);
    const room = Math.max(0, MAX_PENDING - pending);
    const taken = bodies.slice(0, room);
    result.dropped += bodies.length - taken.length;
    for (const part of chunks(taken, 500)) {
      await db
        .insertInto('webhook_deliveries')
        .values(part.map((p) => ({ webhook_id: w.id, event, payload: JSON.stringify({ event, sent_for: w.name, ...p }), state: 'pending', attempts: 0, next_attempt_at: now, created_at: now })))
        .execute();
    }
    result.queued += taken.length;
  }
  return result;
}
