/**
 * @module
 * Recurring jobs through the API on SQLite and PostgreSQL: creation with Foreman's `recurrence`
 * (the first occurrence queued for the first matching time, in REMEX_TZ), bad input refused with
 * nothing created, `/api/recurring_logics` list/search/show, occurrences made with an injected
 * clock until `max_iteration` (and exactly once when two servers advance at the same moment),
 * disable/enable/cancel.
 */
import { randomBytes } from 'node:crypto';

import { DIALECTS } from '@remex/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import { dialectOf } from '../src/jobs/compose/job-targeting.ts';
import { advanceRecurringLogics } from '../src/recurring/recurring-logic-store.ts';
import { SecretBox } from '../src/secrets/secret-box.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const OPTIONS = { timeZone: 'UTC', graceSeconds: 3600 };

describe.each(DIALECTS)('recurring jobs (%s)', (DIALECT) => {
  let t: TestServer;
  let store: Store;
  const box = new SecretBox(randomBytes(32));
  let templateId: number;

  beforeAll(async () => {
    t = await startTestServer(DIALECT, { REMEX_TZ: 'UTC' });
    store = openStore(t.database.url);
    for (const name of ['rec-a.example.com', 'rec-b.example.com']) expect((await t.api('POST', '/api/hosts', { host: { name, ip: '127.0.0.9' } })).status).toBe(201);
    const r = await t.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`);
    templateId = r.body.results[0].id as number;
  });
  afterAll(async () => {
    await store?.destroy();
    await t?.stop();
  });

  const create = (recurrence: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    t.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, search_query: 'name ~ rec-', inputs: { command: 'uptime' }, recurrence, ...extra } });
  const counts = async () => ({
    jobs: Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM job_invocations`.execute(store.db)).rows[0]?.n),
    logics: Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM recurring_logics`.execute(store.db)).rows[0]?.n),
  });
  const advance = (at: string) => advanceRecurringLogics(store.db, dialectOf(store.db), box, OPTIONS, new Date(at));
  const occurrences = async (logicId: number) =>
    (await store.db.selectFrom('job_invocations').select(['id', 'start_at', 'start_before', 'state', 'mode']).where('recurring_logic_id', '=', logicId).orderBy('id').execute());

  it('creates the logic and its first occurrence for the first matching time (the second Sunday of the month)', async () => {
    const r = await create({ cron_line: '0 4 * * 0#2', max_iteration: 3, purpose: 'patching' });
    expect(r.status, r.text).toBe(201);
    const first = r.body.start_at as string;
    expect(new Date(first).getUTCDay()).toBe(0);
    expect(new Date(first).getUTCDate()).toBeGreaterThanOrEqual(8);
    expect(new Date(first).getUTCDate()).toBeLessThanOrEqual(14);
    expect(first.slice(11, 19)).toBe('04:00:00');
    expect(r.body).toMatchObject({ mode: 'recurring', status_label: 'queued', recurrence: { cron_line: '0 4 * * 0#2', iteration: 1, max_iteration: 3, state: 'active', purpose: 'patching' } });

    const list = await t.api('GET', `/api/recurring_logics?search=${encodeURIComponent('purpose = patching')}`);
    expect(list.body).toMatchObject({ subtotal: 1, results: [{ purpose: 'patching', cron_line: '0 4 * * 0#2', next_occurrence: first, time_zone: 'UTC', state: 'active' }] });
    const id = list.body.results[0].id as number;
    const shown = await t.api('GET', `/api/recurring_logics/${id}`);
    expect(shown.body.job_invocations).toEqual([expect.objectContaining({ id: r.body.id, status_label: 'queued', start_at: first })]);
    expect((await t.api('GET', `/api/job_invocations/${r.body.id as number}`)).body.recurrence).toMatchObject({ id });
    // Foreman's job searches: recurring = true, recurring_logic.id, recurring_logic.purpose.
    const jobs = async (q: string) => ((await t.api('GET', `/api/job_invocations?search=${encodeURIComponent(q)}`)).body.results as Array<{ id: number }>).map((j) => j.id);
    expect(await jobs('recurring = true')).toEqual([r.body.id]);
    expect(await jobs(`recurring_logic.id = ${id}`)).toEqual([r.body.id]);
    expect(await jobs('recurring_logic.purpose = patching')).toEqual([r.body.id]);
    expect(await jobs('recurring_logic.purpose = other')).toEqual([]);
  });

  it('refuses a bad cron line, max_iteration, end_time or a taken purpose, creating nothing', async () => {
    const before = await counts();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ cron_line: '0 4 32 * *' }, /field 3 \(day of month\) '32' at position 5/],
      [{ cron_line: '0 4 * *' }, /has 4 fields/],
      [{ cron_line: '* * * * *', max_iteration: 0 }, /recurrence.max_iteration/],
      [{ cron_line: '* * * * *', end_time: '2001-01-01 00:00' }, /recurrence.end_time .* already past/],
      [{ cron_line: '* * * * *', purpose: 'patching' }, /purpose 'patching' is already the purpose of active recurring logic/],
      [{ input_type: 'weekly', time: '25:00', days_of_week: [1] }, /recurrence.time/],
    ];
    for (const [recurrence, message] of cases) {
      const r = await create(recurrence);
      expect(r.status, r.text).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('makes each next occurrence once it is due, until max_iteration; two servers advancing at once make it once', async () => {
    const r = await create({ input_type: 'daily', time: '06:30', max_iteration: 3 });
    expect(r.status, r.text).toBe(201);
    const logicId = r.body.recurrence.id as number;
    const first = r.body.start_at as string;
    expect(first.slice(11, 16)).toBe('06:30');
    // Nothing is due before the first start.
    expect((await advance(new Date(Date.parse(first) - 1000).toISOString())).created).toEqual([]);
    // Two servers at the same moment: one occurrence.
    const [a, b] = await Promise.all([advance(first), advance(first)]);
    expect([...a.created, ...b.created]).toHaveLength(1);
    let jobs = await occurrences(logicId);
    expect(jobs.map((j) => j.start_at)).toEqual([first, new Date(Date.parse(first) + 86_400_000).toISOString()]);
    // Each occurrence may start up to the grace late.
    expect(jobs[1]!.start_before).toBe(new Date(Date.parse(jobs[1]!.start_at) + 3600_000).toISOString());
    expect(jobs.every((j) => j.mode === 'recurring')).toBe(true);
    await advance(jobs[1]!.start_at);
    jobs = await occurrences(logicId);
    expect(jobs).toHaveLength(3);
    // The third was the last: the logic finishes when it is due.
    const done = await advance(jobs[2]!.start_at);
    expect(done.finished).toEqual([logicId]);
    expect(await occurrences(logicId)).toHaveLength(3);
    expect((await t.api('GET', `/api/recurring_logics/${logicId}`)).body).toMatchObject({ state: 'finished', iteration: 3, next_occurrence: null });
  });

  it('ends a logic at end_time: no occurrence after it', async () => {
    const end = new Date(Date.now() + 3 * 86_400_000);
    const r = await create({ input_type: 'daily', time: '05:00', end_time: end.toISOString() });
    expect(r.status, r.text).toBe(201);
    const logicId = r.body.recurrence.id as number;
    for (let i = 0; i < 6; i++) {
      const logic = await store.db.selectFrom('recurring_logics').select(['next_run_at', 'state']).where('id', '=', logicId).executeTakeFirstOrThrow();
      if (logic.next_run_at === null) break;
      await advance(logic.next_run_at);
    }
    const jobs = await occurrences(logicId);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.length).toBeLessThanOrEqual(3);
    for (const j of jobs) expect(Date.parse(j.start_at)).toBeLessThanOrEqual(end.getTime());
    expect((await t.api('GET', `/api/recurring_logics/${logicId}`)).body).toMatchObject({ state: 'finished', next_occurrence: null });
  });

  it('disables (cancelling the pending occurrence), enables (next one from now) and cancels', async () => {
    const r = await create({ cron_line: '15 3 * * *', purpose: 'nightly' });
    const logicId = r.body.recurrence.id as number;
    const off = await t.api('PUT', `/api/recurring_logics/${logicId}`, { recurring_logic: { enabled: false } });
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({ state: 'disabled', next_occurrence: null });
    expect((await t.api('GET', `/api/job_invocations/${r.body.id as number}`)).body.status_label).toBe('cancelled');
    // The purpose stays taken while the logic is disabled.
    expect((await create({ cron_line: '* * * * *', purpose: 'nightly' })).status).toBe(422);

    const on = await t.api('PUT', `/api/recurring_logics/${logicId}`, { recurring_logic: { enabled: true } });
    expect(on.body.state).toBe('active');
    await advance(new Date().toISOString());
    const pending = (await occurrences(logicId)).filter((j) => j.state === 'queued');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.start_at.slice(11, 19)).toBe('03:15:00');

    const cancelled = await t.api('POST', `/api/recurring_logics/${logicId}/cancel`, {});
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect((await occurrences(logicId)).filter((j) => j.state === 'queued')).toEqual([]);
    expect((await t.api('POST', `/api/recurring_logics/${logicId}/cancel`, {})).status).toBe(422);
    expect((await t.api('GET', '/api/recurring_logics/99999')).status).toBe(404);
  });

  it('survives a restart: an occurrence missed while down runs once if the grace allows, else it is skipped saying why', async () => {
    const a = await startTestServer(DIALECT, { REMEX_TZ: 'UTC' });
    const db = openStore(a.database.url);
    let b: TestServer | undefined;
    try {
      expect((await a.api('POST', '/api/hosts', { host: { name: 'restart.example.com', ip: '127.0.0.9' } })).status).toBe(201);
      const tpl = (await a.api('GET', `/api/job_templates?search=${encodeURIComponent('name = "Run Command - Script Default"')}`)).body.results[0].id as number;
      const make = async (purpose: string) => {
        const r = await a.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: tpl, search_query: 'name = restart.example.com', inputs: { command: 'true' }, recurrence: { cron_line: '0 3 * * *', purpose } } });
        expect(r.status, r.text).toBe(201);
        return { job: r.body.id as number, logic: r.body.recurrence.id as number };
      };
      // A webhook for skipped occurrences (its URL is never reached here: the delivery is queued).
      expect((await a.api('POST', '/api/webhooks', { webhook: { name: 'skips', url: 'http://127.0.0.1:9/skips', events: ['recurring_occurrence_skipped'] } })).status).toBe(201);
      const inGrace = await make('missed-in-grace');
      const tooLate = await make('missed-too-late');
      // The server goes down; while it is down both occurrences come due (one two hours ago, past its hour of grace).
      await a.server.stop();
      const now = Date.now();
      const due = async (ids: { job: number; logic: number }, startMs: number) => {
        const startAt = new Date(startMs).toISOString();
        await db.db.updateTable('job_invocations').set({ start_at: startAt, start_before: new Date(startMs + 3600_000).toISOString() }).where('id', '=', ids.job).execute();
        await db.db.updateTable('recurring_logics').set({ next_run_at: startAt }).where('id', '=', ids.logic).execute();
      };
      await due(inGrace, now - 60_000);
      await due(tooLate, now - 2 * 3600_000);
      // Another server process comes up on the same database.
      b = await startTestServer(DIALECT, { DATABASE_URL: a.database.url, REMEX_TZ: 'UTC' }, { instanceId: 'after-restart' });
      const job = async (id: number) => (await b!.api('GET', `/api/job_invocations/${id}`)).body as { status_label: string; started_at: string | null };
      await expect.poll(async () => (await job(inGrace.job)).started_at !== null, { timeout: 30_000 }).toBe(true);
      await expect.poll(async () => (await job(tooLate.job)).status_label, { timeout: 30_000 }).toBe('failed');
      const hosts = (await b.api('GET', `/api/job_invocations/${tooLate.job}/hosts`)).body.results as Array<{ job_status: string; message: string }>;
      expect(hosts[0]).toMatchObject({ job_status: 'cancelled' });
      expect(hosts[0]?.message).toMatch(/could not be started before set time/);
      // The skip was queued for the webhook, with its reason; the one inside the grace was not.
      const skips = await db.db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('event', '=', 'recurring_occurrence_skipped').execute();
      expect(skips).toHaveLength(1);
      expect(JSON.parse(skips[0]!.payload)).toMatchObject({ event: 'recurring_occurrence_skipped', job: { id: tooLate.job, recurring_logic_id: tooLate.logic }, reason: expect.stringMatching(/could not be started before set time/) });
      // Each logic made its next occurrence, once.
      for (const ids of [inGrace, tooLate]) {
        await expect.poll(async () => (await db.db.selectFrom('job_invocations').select('id').where('recurring_logic_id', '=', ids.logic).execute()).length, { timeout: 30_000 }).toBe(2);
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (const ids of [inGrace, tooLate]) expect(await db.db.selectFrom('job_invocations').select('id').where('recurring_logic_id', '=', ids.logic).execute()).toHaveLength(2);
    } finally {
      await b?.stop();
      await db.destroy();
      await a.database.drop();
    }
  });
});
