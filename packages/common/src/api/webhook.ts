/**
 * @module
 * `/api/webhooks` schemas: webhooks an admin registers, their deliveries, and the test action.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { LooseBooleanSchema } from './bookmark.ts';
import { ListOf } from './list.ts';

/** Events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = ['job_succeeded', 'job_failed', 'job_cancelled', 'host_task_finished', 'recurring_occurrence_skipped'] as const;

/** One event name. */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const Text = Type.Union([Type.String(), Type.Null()]);

/** Attributes of a webhook create or update. */
const attributes = {
  name: Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' }),
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'http:// or https:// URL the events are POSTed to' }),
  events: Type.Array(Type.String(), { minItems: 1, maxItems: WEBHOOK_EVENTS.length, description: `Events to deliver: ${WEBHOOK_EVENTS.join(', ')}` }),
  secret: Type.Union([Type.String({ maxLength: 1024 }), Type.Null()], { description: 'Key of the HMAC-SHA256 signature (stored sealed, never shown); null or empty: unsigned' }),
  enabled: Type.Union([...LooseBooleanSchema.anyOf]),
  http_headers: Type.Record(Type.String(), Type.String({ maxLength: 1024 }), { description: 'Custom headers sent with each delivery (at most 20; not Host, Content-*, or X-Remex-*)' }),
};

/** Body of `POST /api/webhooks` (inside `webhook`, or bare). */
export const WebhookCreateSchema = Type.Object({
  name: attributes.name,
  url: attributes.url,
  events: attributes.events,
  secret: Type.Optional(attributes.secret),
  enabled: Type.Optional(attributes.enabled),
  http_headers: Type.Optional(attributes.http_headers),
});

/** Body of `PUT /api/webhooks/:id`: what it names changes. */
export const WebhookUpdateSchema = Type.Partial(WebhookCreateSchema);

/** A webhook as the API shows it (never its secret). */
export const WebhookSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  has_secret: Type.Boolean({ description: 'Deliveries are signed' }),
  http_headers: Type.Record(Type.String(), Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/webhooks`. */
export const WebhookListSchema = ListOf(WebhookSchema);

/** One delivery of a webhook. */
export const WebhookDeliverySchema = Type.Object({
  id: Type.Integer(),
  event: Type.String(),
  state: Type.String({ description: 'pending, delivered or failed' }),
  attempts: Type.Integer(),
  next_attempt_at: Text,
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Text,
  duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  delivered_at: Text,
  payload: Type.Unknown({ description: 'The JSON body sent' }),
});

/** `GET /api/webhooks/:id/deliveries`. */
export const WebhookDeliveryListSchema = ListOf(WebhookDeliverySchema);

/** Answer of `POST /api/webhooks/:id/test`: the test delivery, sent at once. */
export const WebhookTestResultSchema = WebhookDeliverySchema;

/** Body of a webhook create. */
export type WebhookCreate = Static<typeof WebhookCreateSchema>;
/** Body of a webhook update. */
export type WebhookUpdate = Static<typeof WebhookUpdateSchema>;
/** A webhook. */
export type Webhook = Static<typeof WebhookSchema>;
/** A delivery. */
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>;
