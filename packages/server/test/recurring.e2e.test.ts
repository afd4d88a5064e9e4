/**
 * @module
 * A recurring job on real SSH hosts: each occurrence is its own job and its dynamic query is
 * resolved again, so a host added between two occurrences is in the second one only. The clock
 * is moved by hand where waiting for a cron minute would be slow: an occurrence's start is set to
 * now, and the next occurrence is made as the dispatcher would once the pending one is due.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../src/db/database.ts';
import { openStore } from '../src/db/database.ts';
import { advanceRecurringLogics } from '../src/recurring/recurring-logic-store.ts';
import { SecretBox } from '../src/secrets/secret-box.ts';
import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';

describe('recurring job on real hosts', () => {
  let s: FleetStack;
  let store: Store;

  beforeAll(async () => {
    s = await startFleetStack('sqlite', 2, { REMEX_TZ: 'UTC' });
    store = openStore(s.t.database.url);
  }, 300_000);
  afterAll(async () => {
    await store?.destroy();
    await s?.stop();
  });

  const addHost = async (name: string, index: number) => {
    const r = await s.t.api('POST', '/api/hosts', { host: { name, ip: s.fleet.hosts[index]!.address } });
    expect(r.status, r.text).toBe(201);
  };
  /** Lets occurrence `id` start now (instead of at its cron minute). */
  const startNow = async (id: number) => {
    const now = new Date();
    await store.db.updateTable('job_invocations').set({ start_at: now.toISOString(), start_before: new Date(now.getTime() + 3600_000).toISOString() }).where('id', '=', id).execute();
  };
  const hostsOf = async (id: number) => ((await s.t.api('GET', `/api/job_invocations/${id}/hosts`)).body.results as Array<{ name: string; job_status: string }>).map((h) => `${h.name}:${h.job_status}`).sort();

  it('runs each occurrence on the hosts its query matches then', async () => {
    await addHost('rec-e2e-1.example.com', 0);
    const r = await s.t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: await templateId(s.t, 'Run Command - Script Default'),
        targeting_type: 'dynamic_query',
        search_query: 'name ~ rec-e2e-',
        inputs: { command: 'echo occurrence' },
        recurrence: { cron_line: '* * * * *', max_iteration: 2, purpose: 'e2e' },
      },
    });
    expect(r.status, r.text).toBe(201);
    const logicId = r.body.recurrence.id as number;
    const firstStart = r.body.start_at as string;
    await startNow(r.body.id as number);
    expect(await waitForJob(s.t, r.body.id as number)).toMatchObject({ status_label: 'succeeded', total: 1 });
    expect(await hostsOf(r.body.id as number)).toEqual(['rec-e2e-1.example.com:success']);

    // A host added between occurrences; then the first occurrence's time comes.
    await addHost('rec-e2e-2.example.com', 1);
    await advanceRecurringLogics(store.db, 'sqlite', new SecretBox(randomBytes(32)), { timeZone: 'UTC', graceSeconds: 3600 }, new Date(firstStart));
    const occurrences = await store.db.selectFrom('job_invocations').select(['id', 'state']).where('recurring_logic_id', '=', logicId).orderBy('id').execute();
    expect(occurrences).toHaveLength(2);
    const second = occurrences[1]!.id;
    await startNow(second);
    expect(await waitForJob(s.t, second)).toMatchObject({ status_label: 'succeeded', total: 2, mode: 'recurring' });
    expect(await hostsOf(second)).toEqual(['rec-e2e-1.example.com:success', 'rec-e2e-2.example.com:success']);
    const out = await s.t.api('GET', `/api/job_invocations/${second}/hosts/rec-e2e-2.example.com`);
    expect((out.body.output as Array<{ output: string }>).map((l) => l.output).join('')).toContain('occurrence\n');

    // That was the last of max_iteration 2: the logic ends when it is due.
    const logic = await store.db.selectFrom('recurring_logics').selectAll().where('id', '=', logicId).executeTakeFirstOrThrow();
    await advanceRecurringLogics(store.db, 'sqlite', new SecretBox(randomBytes(32)), { timeZone: 'UTC', graceSeconds: 3600 }, new Date(logic.next_run_at ?? Date.now()));
    expect((await s.t.api('GET', `/api/recurring_logics/${logicId}`)).body).toMatchObject({ state: 'finished', iteration: 2 });
  });
});
