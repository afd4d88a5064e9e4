/**
 * Two server processes on one PostgreSQL database dispatch one job over a fleet of real sshd
 * hosts, and one of them is killed (SIGKILL) while it holds claims (ADR 0009). Every host must
 * end (success, or a failure saying why), no host may run twice, and the job's concurrency
 * level must hold across both servers — measured on the host side: each run registers itself
 * in a shared directory and records how many runs it sees there.
 *
 * One proxy serves both servers (registered once: the registration is in the shared database,
 * and both servers share REMEX_SECRET_KEY so either can open its credential). Its callbacks go
 * to server A, and B is the one killed: a proxy's `server_url` is a single URL, so killing A
 * would leave the proxy with no one to report to until A comes back, which is not what this
 * test is about (B's claims and their expiry are).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';

import { DIALECTS, quarantined } from '@remex/testkit';
import { describe, expect, it } from 'vitest';

import { LEASE_EXPIRED_SENT } from '../src/jobs/dispatch/lease-sweep.ts';
import { startTwoServers, type TwoServers } from './server-children.ts';

const HOSTS = 30;
const CONCURRENCY = 5;
const LEASE_SECONDS = 3;

/** The most runs seen at once by any run (each line of `seen` is one run's count). */
function maxSeen(text: string): number {
  return Math.max(0, ...text.split('\n').filter((l) => l.trim() !== '').map(Number));
}

/** The relay and the ids of the tasks whose launch it passed on to the proxy. */
interface LaunchRelay {
  url: string;
  relayed: ReadonlySet<number>;
  close(): Promise<void>;
}

/**
 * A loopback relay in front of the proxy that holds the proxy's answers to launches for
 * `delayMs` (the launch itself reaches the proxy at once): it widens the window in which a
 * server has sent tasks but not yet recorded that the proxy accepted them.
 */
async function startLaunchDelayRelay(target: string, delayMs: number): Promise<LaunchRelay> {
  const relayed = new Set<number>();
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
      const body = parts.length > 0 ? Buffer.concat(parts) : undefined;
      if (req.method === 'POST' && req.url === '/tasks/launch' && body) {
        for (const t of (JSON.parse(body.toString('utf8')) as { tasks: Array<{ task_id: number }> }).tasks) relayed.add(t.task_id);
      }
      fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) })
        .then(async (answer) => {
          const text = Buffer.from(await answer.arrayBuffer());
          if (req.method === 'POST' && req.url === '/tasks/launch') await new Promise((resolve) => setTimeout(resolve, delayMs));
          const out: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding') out[k] = v;
          });
          res.writeHead(answer.status, out).end(text);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, relayed, close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }) };
}

describe.runIf(DIALECTS.includes('postgres'))('two servers on one PostgreSQL', () => {
  const killedWhileRendering = `dispatch a ${HOSTS}-host job at concurrency ${CONCURRENCY}; one is killed while it renders its claims; every host ends, the limit holds`;
  it.skipIf(quarantined(killedWhileRendering))(killedWhileRendering, { timeout: 300_000 }, async () => {
    await twoServers('claimed', 0);
  });

  it(`dispatch a ${HOSTS}-host job at concurrency ${CONCURRENCY}; one is killed while its launch is on its way to the proxy; every host ends, the limit holds`, { timeout: 300_000 }, async () => {
    await twoServers('sent', 1500);
  });

  /**
   * Runs the scenario: `killWhen` `claimed` kills B as soon as it holds any claim (not yet sent:
   * they go back to the queue); `sent` as soon as the proxy got the launch of a task B claimed
   * and B has not recorded the proxy's acceptance (the proxy starts the tasks and reports them to
   * A, so they end as the proxy reports them, not as failed). `delayLaunchMs`
   * holds the proxy's launch answers (see {@link startLaunchDelayRelay}).
   */
  async function twoServers(killWhen: 'claimed' | 'sent', delayLaunchMs: number): Promise<void> {
    let stack: TwoServers | undefined;
    let relay: LaunchRelay | undefined;
    const shared = `/var/tmp/remex-two-servers-${randomBytes(4).toString('hex')}`;
    const began = Date.now();
    try {
      stack = await startTwoServers(HOSTS, { REMEX_TASK_LEASE_SECONDS: String(LEASE_SECONDS) }, async (url) => {
        relay = delayLaunchMs > 0 ? await startLaunchDelayRelay(url, delayLaunchMs) : undefined;
        return relay?.url ?? url;
      });
      const { b, client, templateId } = stack;

      await mkdir(`${shared}/live`, { recursive: true });
      await chmod(shared, 0o777);
      await chmod(`${shared}/live`, 0o777);
      // Each run registers itself, records how many runs it sees and which host it is (the
      // loopback address sshd was reached on), sleeps, and leaves.
      const command = [
        `touch ${shared}/live/$$`,
        `ls ${shared}/live | wc -l >> ${shared}/seen`,
        `echo $SSH_CONNECTION | cut -d' ' -f3 >> ${shared}/ran`,
        'sleep 1',
        `rm -f ${shared}/live/$$`,
      ].join('; ');
      // Created through B, so B claims the first batch at once.
      const created = await b.api('POST', '/api/job_invocations', {
        job_invocation: { job_template_id: templateId, targeting_type: 'static_query', search_query: 'hostgroup = fleet', inputs: { command }, concurrency_control: { concurrency_level: CONCURRENCY } },
      });
      expect(created.status, created.text).toBe(201);
      const jobId = created.body.id as number;

      // Kill B (SIGKILL) the moment it holds such claims (for `sent`: assigned claims whose launch
      // reached the proxy); if it is never caught holding one, once half the hosts have started.
      const mine = `%:${b.pid}:%`;
      let heldAtKill = 0;
      for (let i = 0; i < 6000; i++) {
        const held = (
          await client.query<{ id: number; state: string }>(`SELECT id, state FROM template_invocations WHERE claimed_by LIKE $1 AND state IN ('awaiting', 'planned')`, [mine])
        ).rows.filter((t) => killWhen === 'claimed' || (t.state === 'planned' && relay?.relayed.has(t.id) === true)).length;
        const started = (await readFile(`${shared}/ran`, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '').length;
        if (held > 0 || started >= HOSTS / 2) {
          b.child.kill('SIGKILL');
          heldAtKill = held;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(b.child.killed).toBe(true);
      const claimedByDead = Number(
        (await client.query<{ n: string }>(`SELECT count(*) AS n FROM template_invocations WHERE claimed_by LIKE $1 AND state IN ('awaiting', 'planned')`, [mine])).rows[0]?.n ?? 0,
      );

      // A finishes the job alone: its sweep takes back B's claims once their lease expired.
      let state = '';
      for (let i = 0; i < 600 && state !== 'stopped'; i++) {
        state = (await client.query<{ state: string }>('SELECT state FROM job_invocations WHERE id = $1', [jobId])).rows[0]?.state ?? '';
        if (state !== 'stopped') await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(state, 'the job stopped').toBe('stopped');
      const tasks = (await client.query<{ state: string; result: string; message: string | null }>('SELECT state, result, message FROM template_invocations WHERE job_invocation_id = $1', [jobId])).rows;
      expect(tasks).toHaveLength(HOSTS);
      expect(tasks.filter((t) => t.state !== 'stopped')).toEqual([]);
      const failed = tasks.filter((t) => t.result !== 'success');
      // A host that did not succeed says why: its claim expired after it may have been sent.
      for (const t of failed) expect(t.message).toBe(LEASE_EXPIRED_SENT);

      const ran = (await readFile(`${shared}/ran`, 'utf8')).split('\n').filter((l) => l !== '');
      expect(new Set(ran).size, 'no host ran twice').toBe(ran.length);
      expect(ran.length).toBeGreaterThanOrEqual(tasks.filter((t) => t.result === 'success').length);
      const seen = await readFile(`${shared}/seen`, 'utf8');
      const max = maxSeen(seen);
      expect(max, 'the concurrency level held on the host side').toBeLessThanOrEqual(CONCURRENCY);
      expect(max).toBeGreaterThanOrEqual(2);
      process.stdout.write(
        `two-servers (kill when ${killWhen}): ${HOSTS} hosts, concurrency ${CONCURRENCY}; B killed holding ${heldAtKill} claims (${claimedByDead} still claimed after the kill); ` +
          `${tasks.length - failed.length} succeeded, ${failed.length} failed (lease expired after sending); ${ran.length} runs on hosts; ` +
          `max runs at once on the host side ${max}; ${Math.round((Date.now() - began) / 100) / 10} s\n`,
      );
    } finally {
      await relay?.close();
      await stack?.stop();
      await rm(shared, { recursive: true, force: true });
    }
  }
});
