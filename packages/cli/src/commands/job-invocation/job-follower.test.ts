/**
 * @module
 * The follower's protocol handling against a small real HTTP server: SSE with reconnect and
 * `Last-Event-ID`, fallback to polling when the stream is missing, and fatal auth errors.
 */
import type { ServerResponse } from 'node:http';

import { describe, expect, it } from 'vitest';

import { AuthenticationError } from '@remex/common';

import { useStubApiServer } from '../../../test/helpers/stub-api-server.ts';
import { followJob } from './job-follower.ts';
import type { JobProgress } from './job-progress.ts';

const serve = useStubApiServer();

const running = { status_label: 'running', succeeded: 1, failed: 0, pending: 1, cancelled: 0, total: 2 };
const done = { status_label: 'failed', succeeded: 1, failed: 1, pending: 0, cancelled: 0, total: 2 };
const noSleep = { sleep: () => Promise.resolve() };

function sse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
}

describe('followJob', () => {
  it('reconnects with Last-Event-ID when the stream drops before done', async () => {
    const seenLastIds: (string | undefined)[] = [];
    const client = await serve((req, res) => {
      expect(req.url).toBe('/api/job_invocations/7/stream');
      const last = req.headers['last-event-id'];
      seenLastIds.push(typeof last === 'string' ? last : undefined);
      sse(res);
      if (seenLastIds.length === 1) {
        res.write(`event: progress\ndata: ${JSON.stringify(running)}\n\n`);
        res.write('id: 41\nevent: output\ndata: {"host_id":1,"output":"x"}\n\n');
        res.write('event: host\ndata: {"host_id":1,"host_name":"a","job_status":"success","exit_status":0}\n\n');
        res.end();
      } else {
        res.write('event: host\ndata: {"host_id":2,"host_name":"b","job_status":"error","exit_status":3}\n\n');
        res.end(`event: done\ndata: ${JSON.stringify(done)}\n\n`);
      }
    });
    const seen: JobProgress[] = [];
    const result = await followJob(client, 7, { progress: (p) => seen.push(p) }, noSleep);
    expect(seenLastIds).toEqual([undefined, '41']);
    expect(result.via).toBe('stream');
    expect(result.final).toEqual(done);
    expect(seen).toEqual([running, done]);
    expect([...result.hosts.values()].map((h) => [h.host_name, h.exit_status])).toEqual([
      ['a', 0],
      ['b', 3],
    ]);
  });

  it('falls back to polling the job every interval when there is no stream', async () => {
    let polls = 0;
    const client = await serve((req, res) => {
      if (req.url?.endsWith('/stream')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"Route not found"}}');
        return;
      }
      expect(req.url).toBe('/api/job_invocations/7');
      polls += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(polls < 3 ? running : done));
    });
    const sleeps: number[] = [];
    const result = await followJob(client, 7, { progress: () => undefined }, { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });
    expect(result.via).toBe('poll');
    expect(result.final).toEqual(done);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('falls back to polling when the stream keeps failing', async () => {
    let streams = 0;
    const client = await serve((req, res) => {
      if (req.url?.endsWith('/stream')) {
        streams += 1;
        res.writeHead(502);
        res.end('bad gateway');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(done));
    });
    const result = await followJob(client, 7, { progress: () => undefined }, { ...noSleep, maxReconnects: 2 });
    expect(streams).toBe(3);
    expect(result.via).toBe('poll');
  });

  it('gives up at once on authentication errors', async () => {
    const client = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"name":"AuthenticationError","message":"Unable to authenticate user"}}');
    });
    await expect(followJob(client, 7, { progress: () => undefined }, noSleep)).rejects.toBeInstanceOf(AuthenticationError);
  });
});
