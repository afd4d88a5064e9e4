/**
 * @module
 * Two server processes on one PostgreSQL database run recurring jobs and immediate jobs while one
 * of them is killed (SIGKILL) halfway: 10 recurring logics firing every 2 seconds, 5 occurrences
 * each (50 occurrences), plus 20 immediate jobs, on real sshd hosts. Every logic makes exactly its
 * 5 occurrences (none twice, none lost), every host of every job ends, no host runs one job
 * twice, and a follower of a job on the surviving server sees every line once.
 *
 * The proxy reports to server A; B is the one killed (see two-servers.e2e.test.ts for why).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';

import { DIALECTS } from '@remex/testkit';
import { describe, expect, it } from 'vitest';

import { ADMIN_PASSWORD, startTwoServers, type TwoServers } from './server-children.ts';

const HOSTS = 4;
const LOGICS = 10;
const ITERATIONS = 5;
const IMMEDIATE = 20;
const LINES = 15;

describe.runIf(DIALECTS.includes('postgres'))('two servers on one PostgreSQL: recurring and immediate jobs, one server killed', () => {
  it(`${LOGICS} logics × ${ITERATIONS} occurrences and ${IMMEDIATE} jobs: each occurrence once, every host ends, the follower sees every line`, { timeout: 300_000 }, async () => {
    let stack: TwoServers | undefined;
    const shared = `/var/tmp/remex-two-servers-rec-${randomBytes(4).toString('hex')}`;
    try {
      stack = await startTwoServers(HOSTS, { REMEX_TASK_LEASE_SECONDS: '3', REMEX_TZ: 'UTC' });
      const { a, b, client, fleet, templateId } = stack;

      await mkdir(shared, { recursive: true });
      await chmod(shared, 0o777);
      // Each run appends "<tag> <host address>" to one file: the runs of one job on one host.
      const run = (tag: string) => `echo "${tag} $(echo $SSH_CONNECTION | cut -d' ' -f3)" >> ${shared}/ran`;
      const hosts = fleet.hosts.map((h) => h.name);

      // Half the logics through A, half through B; each on two hosts.
      const logicIds: number[] = [];
      for (let i = 0; i < LOGICS; i++) {
        const via = i % 2 === 0 ? a : b;
        const r = await via.api('POST', '/api/job_invocations', {
          job_invocation: { job_template_id: templateId, host_ids: [hosts[i % HOSTS], hosts[(i + 1) % HOSTS]], inputs: { command: run(`L${i}`) }, recurrence: { cron_line: '*/2 * * * * *', max_iteration: ITERATIONS, purpose: `logic-${i}` } },
        });
        expect(r.status, r.text).toBe(201);
        logicIds.push((r.body.recurrence as { id: number }).id);
      }
      // Immediate jobs through B (it dispatches some of them before it dies).
      const immediate: number[] = [];
      for (let i = 0; i < IMMEDIATE; i++) {
        const r = await b.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, host_ids: [hosts[i % HOSTS]], inputs: { command: run(`I${i}`) } } });
        expect(r.status, r.text).toBe(201);
        immediate.push(r.body.id as number);
      }
      // A job followed on A (the survivor) from its start: LINES lines per host.
      const followed = await b.api('POST', '/api/job_invocations', { job_invocation: { job_template_id: templateId, search_query: 'hostgroup = fleet', inputs: { command: `for i in $(seq ${LINES}); do echo "line $i"; sleep 0.2; done` } } });
      const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const stream = fetch(`${a.url}/api/job_invocations/${followed.body.id as number}/stream`, { headers: { authorization: auth } }).then((res) => res.text());

      // Halfway through the logics' occurrences: kill B.
      for (let i = 0; i < 200; i++) {
        const made = Number((await client.query<{ n: string }>('SELECT COALESCE(SUM(iteration), 0) AS n FROM recurring_logics')).rows[0]?.n ?? 0);
        if (made >= (LOGICS * ITERATIONS) / 2) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      b.child.kill('SIGKILL');

      // A finishes everything alone.
      let open = -1;
      for (let i = 0; i < 480 && open !== 0; i++) {
        const logics = (await client.query<{ n: string }>(`SELECT count(*) AS n FROM recurring_logics WHERE state <> 'finished'`)).rows[0]?.n ?? '0';
        const jobs = (await client.query<{ n: string }>(`SELECT count(*) AS n FROM job_invocations WHERE state <> 'stopped'`)).rows[0]?.n ?? '0';
        open = Number(logics) + Number(jobs);
        if (open !== 0) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(open, 'every logic finished and every job stopped').toBe(0);

      // Each logic made exactly its occurrences, at distinct times.
      for (const id of logicIds) {
        const occ = (await client.query<{ start_at: string }>('SELECT start_at FROM job_invocations WHERE recurring_logic_id = $1', [id])).rows;
        expect(occ, `logic ${id}`).toHaveLength(ITERATIONS);
        expect(new Set(occ.map((o) => o.start_at)).size).toBe(ITERATIONS);
      }
      // Every host of every job ended; none ran one job twice.
      const tasks = (await client.query<{ state: string; result: string }>('SELECT state, result FROM template_invocations')).rows;
      expect(tasks.filter((t) => t.state !== 'stopped')).toEqual([]);
      const ran = (await readFile(`${shared}/ran`, 'utf8')).split('\n').filter((l) => l !== '');
      const perKey = new Map<string, number>();
      for (const l of ran) perKey.set(l, (perKey.get(l) ?? 0) + 1);
      for (const [key, n] of perKey) {
        if (key.startsWith('L')) expect(n, key).toBeLessThanOrEqual(ITERATIONS);
        else expect(n, key).toBe(1);
      }
      const succeeded = tasks.filter((t) => t.result === 'success').length;
      expect(ran.length).toBeGreaterThanOrEqual(succeeded - HOSTS);

      // The follower on A saw every line of every host, once.
      const text = await stream;
      const outputs = text.split('\n\n').filter((e) => e.includes('event: output\n')).map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)) as { host_name: string; output: string });
      const lines = outputs.flatMap((o) => o.output.split('\n').filter((l) => l.startsWith('line ')).map((l) => `${o.host_name} ${l}`));
      expect(new Set(lines).size).toBe(lines.length);
      expect(lines).toHaveLength(HOSTS * LINES);
      process.stdout.write(`two-servers-recurring: ${ran.length} runs, ${succeeded} of ${tasks.length} tasks succeeded, ${lines.length} lines followed\n`);
    } finally {
      await stack?.stop();
      await rm(shared, { recursive: true, force: true });
    }
  });
});
