/**
 * Static vs dynamic targeting on both dialects, at the level the dispatcher uses: a static job's
 * hosts are fixed when it is created; a dynamic job's query (or its bookmark's current query) is
 * resolved by `startQueuedJob` when the job moves from queued to running. Jobs are created
 * through `parseJobRequest`/`createJob` on a real store; no dispatcher runs, so the test decides
 * when a job starts (scheduled jobs run through the same path: job-schedule-cancel.e2e.test.ts).
 */
import { randomBytes } from 'node:crypto';

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import type { JobInvocationRow } from '../src/db/schema.ts';
import { nowIso } from '../src/db/time.ts';
import { createJob, parseJobRequest } from '../src/jobs/compose/job-composer.ts';
import { SecretBox } from '../src/secrets/secret-box.ts';
import { startQueuedJob } from '../src/jobs/compose/job-targeting.ts';
import type { TestStore } from './test-store.ts';
import { openTestStore } from './test-store.ts';

describe.each(DIALECTS)('dynamic and static targeting on %s', (dialect) => {
  let opened: TestStore | undefined;
  let store: Store;
  let templateId: number;
  const user = { id: 1, login: 'admin', admin: true };

  const addHost = async (name: string, comment: string) => {
    const now = nowIso();
    await store.db.insertInto('hosts').values({ name, ip: null, ip6: null, hostgroup_id: null, subnet_id: null, operatingsystem_id: null, domain_name: null, comment, created_at: now, updated_at: now }).execute();
  };
  const create = async (body: Record<string, unknown>): Promise<JobInvocationRow> =>
    store.db.transaction().execute(async (trx) =>
      createJob(trx, store.dialect, await parseJobRequest(trx, { job_template_id: templateId, ...body }, user), user, new SecretBox(randomBytes(32))),
    );
  const targets = async (job: JobInvocationRow): Promise<string[]> =>
    (
      await store.db
        .selectFrom('template_invocations as t')
        .innerJoin('hosts as h', 'h.id', 't.host_id')
        .select('h.name')
        .where('t.job_invocation_id', '=', job.id)
        .orderBy('t.position')
        .execute()
    ).map((r) => r.name);
  const reload = async (job: JobInvocationRow) => store.db.selectFrom('job_invocations').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    opened = await openTestStore(dialect);
    store = opened.store;
    const now = nowIso();
    await store.db.insertInto('users').values({ login: 'admin', password_hash: 'x', admin: 1, created_at: now }).execute();
    const t = await store.db
      .insertInto('job_templates')
      .values({ name: 'Echo', job_category: 'Commands', description: null, description_format: null, provider_type: 'script', template: 'echo hi', snippet: 0, locked: 0, default_template: 0, effective_user_value: null, effective_user_current_user: 0, effective_user_overridable: 1, execution_timeout_interval: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    templateId = t.id;
    await addHost('b.pool', 'pool');
    await addHost('a.pool', 'pool');
    await addHost('other', 'elsewhere');
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('fixes a static job’s hosts at creation and re-resolves a dynamic job’s query when it starts', async () => {
    const fixed = await create({ targeting_type: 'static_query', search_query: 'comment = pool' });
    const dynamic = await create({ targeting_type: 'dynamic_query', search_query: 'comment = pool' });
    expect(await targets(fixed)).toEqual(['a.pool', 'b.pool']);
    expect(await targets(dynamic)).toEqual([]);
    expect(dynamic).toMatchObject({ state: 'queued', total_hosts: 0, targeting_type: 'dynamic_query' });

    await addHost('c.pool', 'pool');

    expect(await startQueuedJob(store.db, fixed)).toBe(true);
    expect(await startQueuedJob(store.db, dynamic)).toBe(true);
    expect(await targets(fixed)).toEqual(['a.pool', 'b.pool']);
    expect(await targets(dynamic)).toEqual(['a.pool', 'b.pool', 'c.pool']);
    expect(await reload(dynamic)).toMatchObject({ state: 'running', total_hosts: 3 });
    // The claim is taken once: a second start (another server, a later tick) plans nothing.
    expect(await startQueuedJob(store.db, dynamic)).toBe(false);
    expect(await targets(dynamic)).toHaveLength(3);
  });

  it('reads the bookmark’s query when a dynamic job starts', async () => {
    const now = nowIso();
    const b = await store.db
      .insertInto('bookmarks')
      .values({ name: 'pool', controller: 'hosts', query: 'comment = pool', public: 1, owner_id: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = await create({ targeting_type: 'dynamic_query', bookmark_id: b.id });
    expect(job.bookmark_id).toBe(b.id);
    await store.db.updateTable('bookmarks').set({ query: 'name = other' }).where('id', '=', b.id).execute();
    await startQueuedJob(store.db, job);
    expect(await targets(job)).toEqual(['other']);
    expect((await reload(job)).search_query).toBe('name = other');
  });

  it('shuffles a dynamic job’s hosts when randomized_ordering is set, keeping each host once', async () => {
    for (let i = 0; i < 30; i++) await addHost(`r${String(i).padStart(2, '0')}.shuffle`, 'shuffle');
    const job = await create({ targeting_type: 'dynamic_query', search_query: 'comment = shuffle', randomized_ordering: true });
    await startQueuedJob(store.db, job);
    const order = await targets(job);
    expect([...order].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `r${String(i).padStart(2, '0')}.shuffle`));
    expect(order).not.toEqual([...order].sort());
  });

  it('plans no task when a dynamic query matches nothing at start', async () => {
    const job = await create({ targeting_type: 'dynamic_query', search_query: 'comment = pool' });
    await store.db.deleteFrom('hosts').where('comment', '=', 'pool').where('id', 'not in', store.db.selectFrom('template_invocations').select('host_id')).execute();
    await store.db.updateTable('hosts').set({ comment: 'gone' }).where('comment', '=', 'pool').execute();
    await startQueuedJob(store.db, job);
    expect(await targets(job)).toEqual([]);
    expect((await reload(job)).total_hosts).toBe(0);
  });
});
