/**
 * The SSE parser and reader: events split across chunks, comments, ids; the reader resumes with
 * `Last-Event-ID` after a drop and stops at `done`.
 */
import { describe, expect, it } from 'vitest';

import { ApiClient, basicAuth, withQuery } from './client.ts';
import { SseParser, followStream } from './sse.ts';
import type { SseEvent } from './sse.ts';

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      c.close();
    },
  });
}

describe('SseParser', () => {
  it('parses events split anywhere across chunks, skipping comments', () => {
    const p = new SseParser();
    const text = ': keep-alive\n\nevent: output\nid: 7\ndata: {"a":1}\n\nevent: progress\ndata: x\ndata: y\r\n\r\n';
    const out: SseEvent[] = [];
    for (let i = 0; i < text.length; i += 3) out.push(...p.push(text.slice(i, i + 3)));
    expect(out).toEqual([
      { event: 'output', data: '{"a":1}', id: '7' },
      { event: 'progress', data: 'x\ny', id: '7' },
    ]);
  });
});

describe('followStream', () => {
  it('resumes after a dropped connection with Last-Event-ID, with the credentials, until done', async () => {
    const requests: Array<{ lastId: string | null; auth: string | null }> = [];
    const answers = ['event: output\nid: 1\ndata: a\n\nevent: output\nid: 2\ndata: b\n\n', 'event: output\nid: 3\ndata: c\n\nevent: done\ndata: {}\n\n'];
    const fetcher = (_url: string, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      requests.push({ lastId: h.get('last-event-id'), auth: h.get('authorization') });
      return Promise.resolve(new Response(streamOf(answers[requests.length - 1] ?? ''), { status: 200 }));
    };
    const client = new ApiClient({ login: 'admin', password: 'pw' }, '', fetcher as unknown as typeof fetch);
    const got: string[] = [];
    await followStream(client, '/api/job_invocations/1/stream', { signal: new AbortController().signal, onEvent: (e) => got.push(`${e.event}:${e.data}`) });
    expect(got).toEqual(['output:a', 'output:b', 'output:c', 'done:{}']);
    expect(requests.map((r) => r.lastId)).toEqual([null, '2']);
    expect(requests.every((r) => r.auth === basicAuth({ login: 'admin', password: 'pw' }))).toBe(true);
  });

  it('gives up on a 401 instead of retrying forever', async () => {
    let calls = 0;
    const fetcher = () => {
      calls++;
      return Promise.resolve(new Response('{"error":{"message":"no"}}', { status: 401 }));
    };
    const client = new ApiClient(null, '', fetcher);
    await expect(followStream(client, '/s', { signal: new AbortController().signal, onEvent: () => undefined })).rejects.toThrow('no');
    expect(calls).toBe(1);
  });
});

describe('client helpers', () => {
  it('encodes Basic credentials as UTF-8', () => {
    expect(basicAuth({ login: 'zoë', password: 'p:w' })).toBe(`Basic ${Buffer.from('zoë:p:w', 'utf8').toString('base64')}`);
  });

  it('leaves empty query values out', () => {
    expect(withQuery('/api/hosts', { search: 'name = a b', page: 2, order: '', x: undefined })).toBe('/api/hosts?search=name+%3D+a+b&page=2');
  });
});
