/**
 * @module
 * Webhook search fields (`name ~ chat and enabled = true`) and the fields of a webhook's delivery
 * log (`event = job_failed and state = failed`), in the API's one search language.
 */
import type { SearchDialect, SearchUser } from '@remex/search-query';
import { defineSearch } from '@remex/search-query';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { Database } from '../db/schema.ts';
import { compileResourceSearch } from '../search/resource-search.ts';

/** The webhook search definition. */
export const webhookSearch = defineSearch<Database, 'webhooks'>({
  fields: {
    name: { type: 'string', column: 'webhooks.name', description: 'Webhook name' },
    url: { type: 'string', column: 'webhooks.url', description: 'URL the events are POSTed to' },
    enabled: { type: 'boolean', column: 'webhooks.enabled', values: { true: 1, false: 0 }, onlyExplicit: true },
    id: { type: 'integer', column: 'webhooks.id', onlyExplicit: true },
  },
});

/** The delivery log search definition. */
export const webhookDeliverySearch = defineSearch<Database, 'webhook_deliveries'>({
  fields: {
    event: { type: 'string', column: 'webhook_deliveries.event', description: 'job_succeeded, job_failed, …, ping' },
    state: { type: 'string', column: 'webhook_deliveries.state', description: 'pending, delivered or failed' },
    status_code: { type: 'integer', column: 'webhook_deliveries.last_status_code', onlyExplicit: true, description: 'HTTP status of the last attempt' },
    attempts: { type: 'integer', column: 'webhook_deliveries.attempts', onlyExplicit: true },
    id: { type: 'integer', column: 'webhook_deliveries.id', onlyExplicit: true },
  },
});

/** Compiles a webhook search (errors → 422 with a position). */
export function compileWebhookSearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'webhooks'>) => Expression<SqlBool> {
  return compileResourceSearch(webhookSearch, query, dialect, user);
}

/** Compiles a delivery log search (errors → 422 with a position). */
export function compileWebhookDeliverySearch(query: string, dialect: SearchDialect, user: SearchUser | null): (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) => Expression<SqlBool> {
  return compileResourceSearch(webhookDeliverySearch, query, dialect, user);
}
