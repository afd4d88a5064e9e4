/**
 * @module
 * The routes of recurring logics, webhooks and proxy status are denied to a user whose roles do
 * not grant them (403, nothing changed), and a webhook's queue is bounded: a webhook with
 * MAX_PENDING deliveries waiting gets no more (the event is counted as dropped).
 */
import { DIALECTS } from '@remex/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import { nowIso } from '../src/db/time.ts';
import { MAX_PENDING, queueWebhookEvents } from '../src/webhooks/webhook-store.ts';
import type { TestUser } from './authz-helpers.ts';
import { createUser } from './authz-helpers.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe.each(DIALECTS)('recurring logics, webhooks and proxy status: access and bounds (%s)', (DIALECT) => {
  let t: TestServer;
  let store: Store;
  let nobody: TestUser;

  beforeAll(async () => {
    t = await startTestServer(DIALECT);
    store = openStore(t.database.url);
    nobody = await createUser(t, store, 'nobody');
  });
  afterAll(async () => {
    await store?.destroy();
    await t?.stop();
  });

  it('refuses every new route to a user without the permission, and changes nothing', async () => {
    const hook = await t.api('POST', '/api/webhooks', { webhook: { name: 'guarded', url: 'http://127.0.0.1:9/h', events: ['job_failed'], secret: 'S3cret-hook' } });
    expect(hook.status, hook.text).toBe(201);
    const id = hook.body.id as number;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/webhooks'],
      ['GET', `/api/webhooks/${id}`],
      ['GET', `/api/webhooks/${id}/deliveries`],
      ['POST', '/api/webhooks', { webhook: { name: 'mine', url: 'http://127.0.0.1:9/x', events: ['job_failed'] } }],
      ['PUT', `/api/webhooks/${id}`, { webhook: { url: 'http://127.0.0.1:9/elsewhere' } }],
      ['POST', `/api/webhooks/${id}/test`, {}],
      ['DELETE', `/api/webhooks/${id}`],
      ['GET', '/api/recurring_logics'],
      ['GET', '/api/recurring_logics/1'],
      ['PUT', '/api/recurring_logics/1', { recurring_logic: { enabled: false } }],
      ['POST', '/api/recurring_logics/1/cancel', {}],
      ['GET', '/api/smart_proxies/1/status'],
    ];
    for (const [method, url, body] of calls) {
      const r = await nobody.api(method, url, body);
      expect(r.status, `${method} ${url}: ${r.text}`).toBe(403);
      expect(r.text).not.toContain('S3cret-hook');
    }
    const after = await t.api('GET', `/api/webhooks/${id}`);
    expect(after.body).toMatchObject({ url: 'http://127.0.0.1:9/h', has_secret: true });
    expect((await t.api('GET', '/api/webhooks')).body.total).toBe(1);
    expect((await t.api('GET', `/api/webhooks/${id}/deliveries`)).body.total).toBe(0);
  });

  it('queues at most MAX_PENDING deliveries per webhook; more are dropped and counted', async () => {
    const hook = await t.api('POST', '/api/webhooks', { webhook: { name: 'backlog', url: 'http://127.0.0.1:9/b', events: ['job_cancelled'], enabled: true } });
    const id = hook.body.id as number;
    // A receiver that has been down a long time: its queue is full (held in the future so no deliverer sends it now).
    const later = new Date(Date.now() + 3600_000).toISOString();
    const rows = Array.from({ length: MAX_PENDING - 1 }, () => ({ webhook_id: id, event: 'job_cancelled', payload: '{}', state: 'pending', attempts: 0, next_attempt_at: later, created_at: nowIso() }));
    for (let i = 0; i < rows.length; i += 1000) await store.db.insertInto('webhook_deliveries').values(rows.slice(i, i + 1000)).execute();
    const result = await queueWebhookEvents(store.db, 'job_cancelled', () => [{ job: { id: 1 } }, { job: { id: 2 } }, { job: { id: 3 } }]);
    expect(result).toEqual({ queued: 1, dropped: 2 });
    const pending = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ${id} AND state = 'pending'`.execute(store.db);
    expect(Number(pending.rows[0]?.n)).toBe(MAX_PENDING);
  });
});
