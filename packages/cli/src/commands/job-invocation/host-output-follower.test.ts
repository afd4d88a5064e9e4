/**
 * @module
 * Reading one host's output against a small real HTTP server: the host-filtered SSE stream with
 * reconnect and `Last-Event-ID`, polling when there is no stream (line sets sharing a timestamp
 * split across polls), and the switch from a failing stream to polling mid-way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { describe, expect, it } from 'vitest';

import { useStubApiServer } from '../../../test/helpers/stub-api-server.ts';
import { type LineSet, nextSince, readHostOutput } from './host-output-follower.ts';

const serve = useStubApiServer();

const noSleep = { sleep: () => Promise.resolve() };
const set = (output: string, timestamp: number): LineSet => ({ output_type: 'stdout', output, timestamp });

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An `output` event of host `hostId`. */
function outputEvent(id: number, hostId: number, s: LineSet): string {
  return `id: ${id}\nevent: output\ndata: ${JSON.stringify({ host_id: hostId, host_name: `h${hostId}`, ...s })}\n\n`;
}

/**
 * The host output endpoint's filter: every set after `since` in stored order, plus `refresh`
 * while `running()`.
 */
function hostAnswer(req: IncomingMessage, stored: readonly LineSet[], running: boolean): unknown {
  const since = new URL(req.url ?? '/', 'http://x').searchParams.get('since');
  const output = since === null ? stored : stored.filter((s) => s.timestamp > Number(since));
  return { complete: !running, refresh: running, output };
}

describe('readHostOutput', () => {
  it('follows the host-filtered stream, resuming after the last id without repeating a line', async () => {
    const urls: string[] = [];
    const lastIds: (string | undefined)[] = [];
    const client = await serve((req, res) => {
      urls.push(req.url ?? '');
      const last = req.headers['last-event-id'];
      lastIds.push(typeof last === 'string' ? last : undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (urls.length === 1) {
        res.write(outputEvent(10, 3, set('one\n', 1)));
        res.write(outputEvent(11, 4, set('other host\n', 1)));
        res.write(outputEvent(12, 3, set('two\n', 1)));
        res.end();
      } else {
        // A replay that overlaps what was already delivered.
        res.write(outputEvent(12, 3, set('two\n', 1)));
        res.write(outputEvent(13, 3, set('three\n', 2)));
        res.write(outputEvent(14, 3, set('Exit status: 0', 2)));
        res.end('event: done\ndata: {"host_id":3,"job_status":"success","exit_status":"0"}\n\n');
      }
    });
    const seen: string[] = [];
    const result = await readHostOutput(client, 7, 3, (s) => seen.push(s.output), { follow: true, ...noSleep });
    expect(result).toEqual({ via: 'stream' });
    expect(urls).toEqual(['/api/job_invocations/7/stream?host_id=3', '/api/job_invocations/7/stream?host_id=3']);
    expect(lastIds).toEqual([undefined, '12']);
    expect(seen).toEqual(['one\n', 'two\n', 'three\n', 'Exit status: 0']);
  });

  it('polls without the stream and keeps a line set that shares its timestamp with one of the previous poll', async () => {
    const stored: LineSet[] = [set('a\n', 1), set('b\n', 2)];
    const sinces: (string | null)[] = [];
    const client = await serve((req, res) => {
      if (req.url?.includes('/stream')) return json(res, 404, { error: { message: 'Route not found' } });
      sinces.push(new URL(req.url ?? '/', 'http://x').searchParams.get('since'));
      const answer = hostAnswer(req, stored, sinces.length < 4);
      // What the next poll will find: a set with the same timestamp as the newest, then more.
      if (sinces.length === 1) stored.push(set('c\n', 2));
      if (sinces.length === 2) stored.push(set('d\n', 3), set('e\n', 3));
      if (sinces.length === 3) stored.push(set('Exit status: 0', 4));
      json(res, 200, answer);
    });
    const seen: string[] = [];
    const result = await readHostOutput(client, 7, 3, (s) => seen.push(s.output), { follow: true, ...noSleep });
    expect(result).toEqual({ via: 'poll' });
    expect(seen).toEqual(['a\n', 'b\n', 'c\n', 'd\n', 'e\n', 'Exit status: 0']);
    expect(sinces).toEqual([null, '1', '1', '2']);
  });

  it('continues by polling where a failing stream stopped', async () => {
    const stored: LineSet[] = [set('a\n', 5), set('b\n', 5), set('c\n', 6), set('Exit status: 1', 6)];
    let streams = 0;
    const client = await serve((req, res) => {
      if (req.url?.includes('/stream')) {
        streams += 1;
        if (streams > 1) return json(res, 502, { error: { message: 'bad gateway' } });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(outputEvent(1, 3, stored[0]!));
        res.end(outputEvent(2, 3, stored[1]!));
        return;
      }
      json(res, 200, hostAnswer(req, stored, false));
    });
    const seen: string[] = [];
    const result = await readHostOutput(client, 7, 3, (s) => seen.push(s.output), { follow: true, maxReconnects: 2, ...noSleep });
    expect(result.via).toBe('poll');
    expect(streams).toBe(3);
    expect(seen).toEqual(['a\n', 'b\n', 'c\n', 'Exit status: 1']);
  });

  it('reports a job that has not started yet', async () => {
    const client = await serve((_req, res) => json(res, 200, { delayed: true, start_at: '2030-01-01 00:00:00 UTC' }));
    const result = await readHostOutput(client, 7, 3, () => undefined, { follow: false, ...noSleep });
    expect(result).toEqual({ via: 'poll', delayed: { startAt: '2030-01-01 00:00:00 UTC' } });
  });
});

describe('nextSince', () => {
  it('is the newest timestamp below the newest one', () => {
    expect(nextSince([])).toBeUndefined();
    expect(nextSince([set('a', 3), set('b', 3)])).toBeUndefined();
    expect(nextSince([set('a', 1), set('b', 2.5), set('c', 2.5), set('d', 4)])).toBe(2.5);
  });
});
