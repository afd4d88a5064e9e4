/**
 * Task claims with leases (ADR 0009) on both dialects, at the level the dispatcher uses: claims
 * made at the same time never exceed a job's concurrency level together (on PostgreSQL from two
 * stores, i.e. two connection pools as two servers have), and the expiry sweep puts unsent
 * claims back in the queue, fails claims that may have been sent, and leaves live claims and
 * tasks owned by a proxy alone.
 */
import { randomBytes } from 'node:crypto';

import type { TestDatabase } from '@remex/testkit';
import { DIALECTS, createTestDatabase } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { migrateToLatest, openStore } from '../src/db/database.ts';
import type { JobInvocationRow } from '../src/db/schema.ts';
import { nowIso } from '../src/db/time.ts';
import { claimTasks, releaseClaims, renewLeases } from '../src/jobs/dispatch/claim.ts';
import { LEASE_EXPIRED_SENT, sweepExpiredClaims } from '../src/jobs/dispatch/lease-sweep.ts';
import { createJob, parseJobRequest } from '../src/jobs/compose/job-composer.ts';
import { startQueuedJob } from '../src/jobs/compose/job-targeting.ts';
import { SecretBox } from '../src/secrets/secret-box.ts';

const HOSTS = 20;

describe.each(DIALECTS)('task claims on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  /** A second store on the same database: a second server (PostgreSQL only; SQLite has one writer). */
  let other: Store;
  let templateId: number;
  let proxyId: number;
  const user = { id: 1, login: 'admin', admin: true };

  const startJob = async (concurrency: number | null): Promise<JobInvocationRow> => {
    const job = await store.db.transaction().execute(async (trx) =>
      createJob(
        trx,
        store.dialect,
        await parseJobRequest(trx, { job_template_id: templateId, search_query: 'name ~ claim', ...(concurrency === null ? {} : { concurrency_control: { concurrency_level: concurrency } }) }, user),
        user,
        new SecretBox(randomBytes(32)),
      ),
    );
    expect(await startQueuedJob(store.db, job)).toBe(true);
    return store.db.selectFrom('job_invocations').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
  };
  const tasksOf = (jobId: number) => store.db.selectFrom('template_invocations').selectAll().where('job_invocation_id', '=', jobId).orderBy('position').execute();
  const inflight = async (jobId: number) => (await tasksOf(jobId)).filter((t) => t.claimed_by !== null || t.state === 'planned' || t.state === 'running').length;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    store = openStore(database.url);
    await migrateToLatest(store);
    other = dialect === 'postgres' ? openStore(database.url) : store;
    const now = nowIso();
    await store.db.insertInto('users').values({ login: 'admin', password_hash: 'x', admin: 1, created_at: now }).execute();
    templateId = (
      await store.db
        .insertInto('job_templates')
        .values({ name: 'Echo', job_category: 'Commands', description: null, description_format: null, provider_type: 'script', template: 'echo hi', snippet: 0, locked: 0, default_template: 0, effective_user_value: null, effective_user_current_user: 0, effective_user_overridable: 1, execution_timeout_interval: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    for (let i = 0; i < HOSTS; i++) {
      await store.db.insertInto('hosts').values({ name: `claim-${String(i).padStart(2, '0')}.test`, ip: null, ip6: null, hostgroup_id: null, subnet_id: null, operatingsystem_id: null, domain_name: null, comment: null, created_at: now, updated_at: now }).execute();
    }
    proxyId = (await store.db.insertInto('smart_proxies').values({ name: 'p', url: 'http://127.0.0.1:9', features: '[]', pubkey: null, credential_key_id: null, credential: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    if (other !== store) await other?.destroy();
    await store?.destroy();
    await database?.drop();
  });

  it('never claims more than the concurrency level, even when two servers claim at once', async () => {
    const job = await startJob(3);
    const round = () => Promise.all(Array.from({ length: 8 }, (_, i) => claimTasks(i % 2 === 0 ? store.db : other.db, job, `server-${i % 2}`, 30_000, 2000)));
    const first = await round();
    expect(first.reduce((n, c) => n + c.tasks.length, 0)).toBe(3);
    expect(await inflight(job.id)).toBe(3);
    // Claimed tasks stay awaiting until assigned to a proxy; they count as in flight all the same.
    expect((await tasksOf(job.id)).filter((t) => t.claimed_by !== null).every((t) => t.state === 'awaiting')).toBe(true);
    // Two tasks end: exactly two more may be claimed, whoever claims.
    const claimed = (await tasksOf(job.id)).filter((t) => t.claimed_by !== null).slice(0, 2).map((t) => t.id);
    await store.db.updateTable('template_invocations').set({ state: 'stopped', result: 'success', claimed_by: null, lease_expires_at: null }).where('id', 'in', claimed).execute();
    const second = await round();
    expect(second.reduce((n, c) => n + c.tasks.length, 0)).toBe(2);
    expect(await inflight(job.id)).toBe(3);
  });

  it('lets two servers claim disjoint batches of a job without a limit', async () => {
    const job = await startJob(null);
    const claims = await Promise.all([claimTasks(store.db, job, 'server-a', 30_000, 7), claimTasks(other.db, job, 'server-b', 30_000, 7), claimTasks(store.db, job, 'server-a', 30_000, 7)]);
    const ids = claims.flatMap((c) => c.tasks.map((t) => t.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(HOSTS);
  });

  it('sweeps expired claims: unsent back to the queue, possibly sent failed; live claims and proxy-owned tasks stay', async () => {
    const job = await startJob(null);
    const dead = await claimTasks(store.db, job, 'dead-server', -1000, 4);
    expect(dead.tasks).toHaveLength(4);
    const [unsent, sent, running, accepted] = dead.tasks.map((t) => t.id) as [number, number, number, number];
    // `sent` was assigned to a proxy when its server died; `running` was reported started by the
    // proxy; `accepted` was accepted (its claim ended) — both are the proxy's now.
    await store.db.updateTable('template_invocations').set({ state: 'planned', smart_proxy_id: proxyId }).where('id', 'in', [sent, accepted]).execute();
    await store.db.updateTable('template_invocations').set({ state: 'running', smart_proxy_id: proxyId }).where('id', '=', running).execute();
    await releaseClaims(store.db, 'dead-server', [accepted]);
    const live = await claimTasks(store.db, job, 'live-server', 60_000, 2);
    await renewLeases(store.db, 'live-server', live.tasks.map((t) => t.id), 60_000);

    const swept = await sweepExpiredClaims(store.db);
    expect(swept.requeued).toBe(1);
    expect(swept.failed.map((f) => f.id)).toEqual([sent]);
    const byId = new Map((await tasksOf(job.id)).map((t) => [t.id, t]));
    expect(byId.get(unsent)).toMatchObject({ state: 'awaiting', claimed_by: null, lease_expires_at: null });
    expect(byId.get(sent)).toMatchObject({ state: 'stopped', result: 'error', message: LEASE_EXPIRED_SENT, claimed_by: null });
    expect(byId.get(running)).toMatchObject({ state: 'running', result: 'pending' });
    expect(byId.get(accepted)).toMatchObject({ state: 'planned', claimed_by: null });
    for (const t of live.tasks) expect(byId.get(t.id)).toMatchObject({ state: 'awaiting', claimed_by: 'live-server' });
    const debug = await store.db.selectFrom('template_invocation_events').select('data').where('task_id', '=', sent).where('seq', '=', 0).executeTakeFirst();
    expect(debug?.data).toBe(LEASE_EXPIRED_SENT);
    // The requeued task can be claimed again; a second sweep finds nothing.
    expect((await claimTasks(other.db, job, 'server-b', 30_000, 2000)).tasks.map((t) => t.id)).toContain(unsent);
    expect((await sweepExpiredClaims(store.db)).jobIds.size).toBe(0);
  });
});
