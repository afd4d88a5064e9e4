/**
 * @module
 * Two servers on one PostgreSQL database: the proxy reports to server A only, yet a follower of
 * the job's Server-Sent Events on server B sees every output line exactly once, every host's end
 * and the job's end (the PostgreSQL NOTIFY relay, `events/pg-event-relay.ts`).
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, templateId, waitForJob } from './fleet-stack.ts';
import type { TestServer } from './test-server.ts';
import { ADMIN_PASSWORD, startTestServer } from './test-server.ts';

const HOSTS = 4;
const LINES = 25;

describe('job events across servers (PostgreSQL)', () => {
  let a: FleetStack;
  let b: TestServer;

  beforeAll(async () => {
    const key = randomBytes(32).toString('hex');
    a = await startFleetStack('postgres', HOSTS, { REMEX_SECRET_KEY: key });
    // Server B shares A's database (and key); the proxy's callbacks go to A only.
    b = await startTestServer('postgres', { DATABASE_URL: a.t.database.url, REMEX_SECRET_KEY: key }, { instanceId: 'server-b' });
  }, 300_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("a follower on the other server sees every line, every host's end and the job's end", async () => {
    const r = await a.t.api('POST', '/api/job_invocations', {
      job_invocation: {
        job_template_id: await templateId(a.t, 'Run Command - Script Default'),
        host_ids: a.fleet.hosts.map((h) => h.name),
        inputs: { command: `sleep 1; for i in $(seq ${LINES}); do echo "line $i"; sleep 0.02; done` },
      },
    });
    expect(r.status, r.text).toBe(201);
    const id = r.body.id as number;
    const res = await fetch(`${b.server.url}/api/job_invocations/${id}/stream`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter((e) => e.includes('event:'));
    const data = (kind: string) => events.filter((e) => e.includes(`event: ${kind}\n`)).map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)) as Record<string, unknown>);
    // One line per output event here (each echo is flushed on its own); keyed by host.
    const lines = data('output').flatMap((o) => String(o.output).split('\n').filter((l) => l.startsWith('line ')).map((l) => `${String(o.host_name)}: ${l}`));
    expect(await waitForJob(a.t, id)).toMatchObject({ status_label: 'succeeded' });
    // Every line of every host, each once.
    expect(lines).toHaveLength(HOSTS * LINES);
    expect(new Set(lines).size).toBe(HOSTS * LINES);
    expect(data('host').filter((h) => h.job_status === 'success')).toHaveLength(HOSTS);
    expect(data('done')).toEqual([expect.objectContaining({ status_label: 'succeeded', succeeded: HOSTS })]);
  });
});
