/**
 * @module
 * SSE backpressure on both dialects: clients that do not read a job stream are dropped once
 * they are more than the queue bound behind (their bus subscriptions are released, a reading
 * client stays), and a dropped client that reconnects with `Last-Event-ID` gets exactly the
 * rest from the database. Events come through the real proxy callback route from a stand-in
 * proxy that accepts tasks.
 */
import { connect, type Socket } from 'node:net';

import { DIALECTS } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type StandInJob, startStandInJob } from './stand-in-job.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './test-server.ts';

const AUTH = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
const HOSTS = ['a.bp.test', 'b.bp.test', 'c.bp.test', 'd.bp.test'];

/** Output ids of the complete events in an SSE text. */
function outputIds(text: string): number[] {
  const blocks = text.split('\n\n').slice(0, -1);
  return blocks.filter((b) => b.includes('event: output')).map((b) => Number(/^id: (\d+)$/m.exec(b)?.[1]));
}

async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.each(DIALECTS)('SSE backpressure on %s', (dialect) => {
  let t: TestServer;
  let job: StandInJob;
  let jobId = 0;
  const deliver: StandInJob['deliver'] = (host, events) => job.deliver(host, events);

  beforeAll(async () => {
    t = await startTestServer(dialect);
    job = await startStandInJob(t, HOSTS);
    jobId = job.jobId;
  });

  afterAll(async () => {
    await job?.close();
    await t?.stop();
  });

  it('drops clients that do not read, keeps a reader, and resumes a dropped client after Last-Event-ID', async () => {
    const path = `/api/job_invocations/${jobId}/stream`;
    // A client that reads everything.
    const reader = fetch(`${t.server.url}${path}`, { headers: { authorization: AUTH } }).then((res) => res.text());
    // Clients that send the request and never read.
    const port = Number(new URL(t.server.url).port);
    const slow: Socket[] = [];
    for (let i = 0; i < 5; i++) {
      const s = connect(port, '127.0.0.1');
      s.pause();
      s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\n\r\n`);
      slow.push(s);
    }
    await until('all streams to subscribe', () => t.server.subscriptions() === 6);

    // Live output, 256 KB per batch, until the slow clients are gone (at most 40 MB).
    const line = `${'x'.repeat(4095)}\n`;
    for (let i = 0; i < 160 && t.server.subscriptions() > 1; i++) {
      await deliver(HOSTS[i % HOSTS.length] ?? '', Array.from({ length: 64 }, () => ({ type: 'stdout', data: line })));
    }
    await until('the slow clients to be dropped', () => t.server.subscriptions() === 1);

    // What a dropped client got before it was dropped: complete events up to some id.
    const first = slow[0];
    if (!first) throw new Error('no slow client');
    const got = await new Promise<string>((resolve) => {
      let text = '';
      first.on('data', (c: Buffer) => (text += c.toString()));
      first.on('close', () => resolve(text));
      first.resume();
    });
    for (const s of slow) s.destroy();
    const partial = outputIds(got);
    const lastSeen = partial.at(-1) ?? 0;

    // The job ends; the reader ends with it.
    for (const h of HOSTS) await deliver(h, [{ type: 'exit', data: '0' }]);
    const all = outputIds(await reader);
    expect(all.length).toBeGreaterThan(partial.length);
    expect(partial).toEqual(all.slice(0, partial.length));

    // Reconnecting with the last id received gets exactly the rest.
    const res = await fetch(`${t.server.url}${path}`, { headers: { authorization: AUTH, 'last-event-id': String(lastSeen) } });
    const rest = outputIds(await res.text());
    expect([...partial, ...rest]).toEqual(all);
    expect(t.server.subscriptions()).toBe(0);
  });
});
